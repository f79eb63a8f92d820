package app

import (
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func TestEmailOffTokensRoundTripAndRefuseTampering(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := emailOffToken(key, 42, mentorbook.NotifyBookingDeclined)
	if id, kind, ok := parseEmailOffToken(key, tok); !ok || id != 42 || kind != mentorbook.NotifyBookingDeclined {
		t.Fatalf("parse = %d, %q, %v", id, kind, ok)
	}
	other := emailOffToken(key, 43, mentorbook.NotifyBookingDeclined)
	payload, _, _ := strings.Cut(other, ".")
	_, sig, _ := strings.Cut(tok, ".")
	for name, bad := range map[string]string{
		"another user's payload with this signature": payload + "." + sig,
		"another key":            emailOffToken([]byte("another key, also 32 bytes long!"), 42, mentorbook.NotifyBookingDeclined),
		"a cut signature":        tok[:len(tok)-2],
		"no signature":           payload,
		"empty":                  "",
		"an unknown kind signed": emailOffToken(key, 42, "newsletter"),
	} {
		if _, _, ok := parseEmailOffToken(key, bad); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWhenInNamesTheZoneAndCrossesMidnight(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	if got, want := whenIn(start, start.Add(time.Hour), berlin), "Monday 1 June 2026, 12:00–13:00 (Europe/Berlin)"; got != want {
		t.Errorf("whenIn = %q, want %q", got, want)
	}
	late := time.Date(2026, 6, 1, 21, 30, 0, 0, time.UTC)
	if got, want := whenIn(late, late.Add(time.Hour), berlin), "Monday 1 June 2026, 23:30 – Tuesday 2 June 2026, 00:30 (Europe/Berlin)"; got != want {
		t.Errorf("whenIn = %q, want %q", got, want)
	}
}

func TestEmailNeedsARecipientSubjectAndText(t *testing.T) {
	c := &core{}
	for _, e := range []mentorbook.Email{{Subject: "s", Text: "t"}, {To: "a@example.com", Text: "t"}, {To: "a@example.com", Subject: "s"}} {
		if err := c.email(t.Context(), nil, "", e); err == nil {
			t.Errorf("email(%+v) accepted", e)
		}
	}
}
