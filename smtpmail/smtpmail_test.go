package smtpmail_test

import (
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/smtpmail"
	"github.com/mentorbook/mentorbook/smtpmail/smtptest"
)

var email = mentorbook.Email{To: "ana@example.com", Subject: "Booking request from Bo",
	Text: "Bo asks for a session.", HTML: "<p>Bo asks for a session.</p>", MessageID: "job-7.123@mentorbook.test",
	Unsubscribe: "https://mentorbook.test/email-off/tok"}

func TestSendingOverEachScheme(t *testing.T) {
	for _, tc := range []struct {
		name, scheme string
		mode         smtptest.Mode
		user         string
		wantTLS      bool
	}{
		{"plain", "smtp", smtptest.Plain, "", false},
		{"STARTTLS with a login", "smtp+starttls", smtptest.StartTLS, "mailer", true},
		{"implicit TLS with a login", "smtps", smtptest.Implicit, "mailer", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t, tc.mode, tc.user, "s3cret")
			creds := ""
			if tc.user != "" {
				creds = tc.user + ":s3cret@"
			}
			s, err := smtpmail.New(tc.scheme+"://"+creds+srv.Addr, smtpmail.Options{From: "Mentorbook <no-reply@mentorbook.test>", RootCAs: srv.Pool})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(t.Context(), email); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("%d messages", len(got))
			}
			m := got[0]
			if m.TLS != tc.wantTLS || m.Auth != tc.user || m.From != "no-reply@mentorbook.test" || len(m.To) != 1 || m.To[0] != "ana@example.com" {
				t.Errorf("message %+v", m)
			}
			for name, want := range map[string]string{
				"Message-Id":            "<job-7.123@mentorbook.test>",
				"Subject":               "Booking request from Bo",
				"List-Unsubscribe":      "<https://mentorbook.test/email-off/tok>",
				"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
				"Auto-Submitted":        "auto-generated",
			} {
				if got := m.Header(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if !strings.Contains(m.Data, "Bo asks for a session.") || !strings.Contains(m.Data, "text/html") {
				t.Errorf("body lacks the text or the HTML part:\n%s", m.Data)
			}
		})
	}
}

func TestSendingRefusesWhatItCannotProtect(t *testing.T) {
	t.Run("STARTTLS is required", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Plain, "", "")
		s, err := smtpmail.New("smtp+starttls://"+srv.Addr, smtpmail.Options{From: "no-reply@mentorbook.test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(t.Context(), email); err == nil || len(srv.Messages()) != 0 {
			t.Fatalf("sent without STARTTLS: %v", err)
		}
	})
	t.Run("an untrusted certificate", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Implicit, "", "")
		s, err := smtpmail.New("smtps://"+srv.Addr, smtpmail.Options{From: "no-reply@mentorbook.test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(t.Context(), email); err == nil || len(srv.Messages()) != 0 {
			t.Fatalf("sent to an untrusted server: %v", err)
		}
	})
	t.Run("a server that hangs up after accepting has the message: no error", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Plain, "", "")
		srv.HangUpAfterAccept(1)
		s, _ := smtpmail.New("smtp://"+srv.Addr, smtpmail.Options{From: "no-reply@mentorbook.test"})
		if err := s.Send(t.Context(), email); err != nil || len(srv.Messages()) != 1 {
			t.Fatalf("Send = %v with %d kept, want nil and 1", err, len(srv.Messages()))
		}
	})
	t.Run("a temporary refusal is an error", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Plain, "", "")
		srv.Refuse(1)
		s, _ := smtpmail.New("smtp://"+srv.Addr, smtpmail.Options{From: "no-reply@mentorbook.test"})
		if err := s.Send(t.Context(), email); err == nil || !strings.Contains(err.Error(), "451") {
			t.Fatalf("Send = %v, want the 451", err)
		}
	})
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	for _, tc := range []struct{ url, from string }{
		{"http://mail.example.com", "a@example.com"},
		{"smtp://", "a@example.com"},
		{"smtp://mail.example.com:99999", "a@example.com"},
		{"smtp://mail.example.com", ""},
		{"smtp://mail.example.com", "not an address"},
	} {
		if _, err := smtpmail.New(tc.url, smtpmail.Options{From: tc.from}); err == nil {
			t.Errorf("New(%q, %q) accepted", tc.url, tc.from)
		}
	}
}
