package main

import (
	"io"
	"testing"
)

func TestMeetingURLTemplateFlag(t *testing.T) {
	env := map[string]string{"MENTORBOOK_MEETING_URL_TEMPLATE": "https://meet.example.org/{room}"}
	c, err := parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.meetingURLTemplate != "https://meet.example.org/{room}" {
		t.Errorf("from env: %q, %v", c.meetingURLTemplate, err)
	}
	c, err = parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil || c.meetingURLTemplate != "" {
		t.Errorf("default: %q, %v", c.meetingURLTemplate, err)
	}
	for _, bad := range []string{"http://meet.example.org/{room}", "https://meet.example.org/fixed", "meet/{room}"} {
		if _, err := parseConfig([]string{"-meeting-url-template", bad}, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("-meeting-url-template %q accepted", bad)
		}
	}
}
