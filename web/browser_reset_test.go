package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/smtpmail"
	"github.com/mentorbook/mentorbook/smtpmail/smtptest"
	"github.com/mentorbook/mentorbook/storetest"
	"github.com/mentorbook/mentorbook/web"
)

// startMailSite is startSite sending email through a real SMTP server in
// this process, with links in emails pointing at the site.
func startMailSite(t *testing.T) (site, *smtptest.Server) {
	t.Helper()
	mail := smtptest.Start(t, smtptest.Plain, "", "")
	sender, err := smtpmail.New("smtp://"+mail.Addr, smtpmail.Options{From: "Mentorbook <no-reply@mentorbook.test>"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(storetest.OpenSQLite(t), app.Options{CheapPasswords: true, Logger: log, Mailer: sender, BaseURL: base})
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, log))
	mux.Handle("/", web.New(svc, log, web.Options{}))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return site{url: base, svc: svc}, mail
}

// runJobs runs every due job, as the workers would.
func (s site) runJobs(t *testing.T) {
	t.Helper()
	for {
		ran, err := s.svc.Jobs.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

// TestBrowserPasswordResetThroughTheEmailedLink: a user who forgot their
// password asks for a link from the login page, opens the link from the
// email, sets a new password and logs in with it.
func TestBrowserPasswordResetThroughTheEmailedLink(t *testing.T) {
	browser := startBrowser(t)
	s, mail := startMailSite(t)
	s.signup(t, "Ada", "ada@example.com", "Europe/London")

	tab := newTab(t, browser, s.url, "Europe/London")
	tab.open("/login")
	tab.load(chromedp.Click(chromedp.CSS(`a[href="/password-reset"]`)))
	tab.do(chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"))
	tab.screenshot("password-reset")
	tab.submit(`form[action="/password-reset"] button[type=submit]`)
	tab.wantText("main", "If an account has that address")

	s.runJobs(t)
	msgs := mail.To("ada@example.com")
	if len(msgs) != 1 {
		t.Fatalf("%d emails, want 1", len(msgs))
	}
	link := regexp.MustCompile(regexp.QuoteMeta(s.url) + `/password-reset/confirm\?token=[A-Za-z0-9_-]+`).FindString(msgs[0].Part("text/plain"))
	if link == "" {
		t.Fatalf("no link in the email:\n%s", msgs[0].Part("text/plain"))
	}
	tab.open(link[len(s.url):])
	tab.do(chromedp.SendKeys(chromedp.ID("new_password"), "a fresh new secret"))
	tab.submit(`form[action="/password-reset/confirm"] button[type=submit]`)
	tab.wantText("main", "Your password is changed. Log in with the new one.")

	tab.do(chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "a fresh new secret"))
	tab.submit(`form[action="/login"] button[type=submit]`)
	if got := tab.location(); got != "/" {
		t.Fatalf("after login with the new password: %s", got)
	}
	tab.wantText("nav", "Log out")
	tab.open("/me/account")
	tab.wantText("main", "Account settings", "Delete account")
	tab.screenshot("account")

	// The link works once.
	tab.open(link[len(s.url):])
	tab.do(chromedp.SendKeys(chromedp.ID("new_password"), "yet another secret"))
	tab.submit(`form[action="/password-reset/confirm"] button[type=submit]`)
	tab.wantText("main", "used, expired or unknown", "Ask for a new link")
}
