package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
)

func TestEmailFlagsAndTheirDefaults(t *testing.T) {
	none := func(string) string { return "" }
	c, err := parseConfig([]string{"-addr", ":8081"}, none, io.Discard)
	if err != nil || c.baseURL != "http://localhost:8081" || c.mailFrom != "Mentorbook <no-reply@localhost>" || c.smtpURL != "" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	env := map[string]string{
		"MENTORBOOK_SMTP_URL":  "smtp+starttls://u:p@mail.example.com:587",
		"MENTORBOOK_MAIL_FROM": "Team <team@example.com>",
		"MENTORBOOK_BASE_URL":  "https://mentorbook.example/",
	}
	c, err = parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.smtpURL != env["MENTORBOOK_SMTP_URL"] || c.mailFrom != "Team <team@example.com>" || c.baseURL != "https://mentorbook.example" {
		t.Errorf("from env: %+v, %v", c, err)
	}
	c, err = parseConfig([]string{"-base-url", "https://a.example", "-smtp-url", "smtp://127.0.0.1:25", "-mail-from", "x@a.example"},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.baseURL != "https://a.example" || c.smtpURL != "smtp://127.0.0.1:25" || c.mailFrom != "x@a.example" {
		t.Errorf("flags over env: %+v, %v", c, err)
	}
	for _, bad := range []string{"mentorbook.example", "ftp://x", "https://x.example/app"} {
		if _, err := parseConfig([]string{"-base-url", bad}, none, io.Discard); err == nil {
			t.Errorf("-base-url %q accepted", bad)
		}
	}
	// A bad SMTP URL stops the server before it serves.
	db := filepath.Join(t.TempDir(), "mb.db")
	if err := run(context.Background(), []string{"-db", db, "-smtp-url", "imap://mail.example.com"}, none, io.Discard, nil); err == nil {
		t.Error("an imap:// SMTP URL was accepted")
	}
}
