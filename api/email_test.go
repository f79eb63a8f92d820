package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/smtpmail"
	"github.com/mentorbook/mentorbook/smtpmail/smtptest"
	"github.com/mentorbook/mentorbook/web"
)

const testBaseURL = "https://mentorbook.test"

// mailEnv is the API and the pages on one store, sending email through a
// real SMTP server in this process.
type mailEnv struct {
	*env
	svc  *app.App
	smtp *smtptest.Server
}

func newMailEnv(t *testing.T, store mentorbook.Store) *mailEnv {
	smtp := smtptest.Start(t, smtptest.Plain, "", "")
	sender, err := smtpmail.New("smtp://"+smtp.Addr, smtpmail.Options{From: "Mentorbook <no-reply@mentorbook.test>"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: store, clock: &clock{t: testNow}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(store, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log, Mailer: sender, BaseURL: testBaseURL})
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, log))
	mux.Handle("/", web.New(svc, log, web.Options{}))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return &mailEnv{env: e, svc: svc, smtp: smtp}
}

// runJobs runs every due job, as the workers would.
func (m *mailEnv) runJobs() {
	m.t.Helper()
	for {
		ran, err := m.svc.Jobs.RunOnce(m.t.Context())
		if err != nil {
			m.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

func (m *mailEnv) emailOf(u user) string {
	m.t.Helper()
	var me struct{ Email string }
	want(m.t, m.call("GET", "/api/v1/me", u.Token, nil), http.StatusOK).decode(m.t, &me)
	return me.Email
}

var offLink = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `(/email-off/[A-Za-z0-9_.-]+)`)

// offPath is the site path of the turn-off link in an email's text.
func offPath(t *testing.T, msg smtptest.Message) string {
	t.Helper()
	m := offLink.FindStringSubmatch(msg.Part("text/plain"))
	if m == nil {
		t.Fatalf("no turn-off link in\n%s", msg.Part("text/plain"))
	}
	if lu := msg.Header("List-Unsubscribe"); lu != "<"+testBaseURL+m[1]+">" {
		t.Errorf("List-Unsubscribe %q, want the link", lu)
	}
	return m[1]
}

// postForm posts a form without cookies or an Origin, as a mail
// client's one-click request does.
func (m *mailEnv) postForm(path, body string) response {
	m.t.Helper()
	req, err := http.NewRequest("POST", m.srv.URL+path, strings.NewReader(body))
	if err != nil {
		m.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: data}
}

func TestOneEmailPerEventInTheRecipientsZone(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("America/New_York")
		mAddr, aAddr := e.emailOf(m), e.emailOf(a)

		b := e.mustBook(a, m.ID, mon10)
		e.runJobs()
		got := e.smtp.To(mAddr)
		if len(got) != 1 || len(e.smtp.To(aAddr)) != 0 {
			t.Fatalf("%d emails to the mentor, %d to the mentee; want 1 and 0", len(got), len(e.smtp.To(aAddr)))
		}
		text := got[0].Part("text/plain")
		for _, want := range []string{
			"Booking request from User 2",                     // the event
			"Monday 1 June 2026, 12:00–13:00 (Europe/Berlin)", // 10:00 UTC in the mentor's zone, named
			fmt.Sprintf("%s/bookings#booking-%d", testBaseURL, b.ID),
			testBaseURL + "/email-off/",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("email text lacks %q:\n%s", want, text)
			}
		}
		if s := got[0].Subject(); s != "Booking request from User 2" {
			t.Errorf("subject %q", s)
		}
		if html := got[0].Part("text/html"); !strings.Contains(html, "12:00–13:00 (Europe/Berlin)") || !strings.Contains(html, `href="`+testBaseURL+"/email-off/") {
			t.Errorf("HTML part:\n%s", html)
		}
		if id := got[0].Header("Message-Id"); !strings.HasSuffix(id, "@mentorbook.test>") {
			t.Errorf("Message-Id %q", id)
		}

		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
		e.runJobs()
		ag := e.smtp.To(aAddr)
		if len(ag) != 1 || !strings.Contains(ag[0].Part("text/plain"), "Monday 1 June 2026, 06:00–07:00 (America/New_York)") {
			t.Fatalf("mentee's emails %d: %+v", len(ag), ag)
		}
		// Running the workers again, later, sends nothing more. (The
		// mentor, who accepted, got the calendar invite alone.)
		e.clock.Advance(time.Hour)
		e.runJobs()
		if n, own := len(e.smtp.Messages()), len(e.smtp.To(mAddr)); n != 3 || own != 2 {
			t.Errorf("%d emails in all and %d to the mentor, want 3 and 2", n, own)
		}
	})
}

func TestTheTurnOffLinkWorksWithoutSigningIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, b := e.signup("UTC"), e.signup("UTC")
		mAddr := e.emailOf(m)
		e.mustBook(a, m.ID, mon10)
		e.runJobs()
		path := offPath(t, e.smtp.To(mAddr)[0])

		// Opening the link changes nothing: it asks.
		anon := e.srv.Client()
		res, err := anon.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "Turn these emails off") ||
			!strings.Contains(string(page), "Booking requested") {
			t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, page)
		}
		if !e.settings(m)["booking_requested"] {
			t.Fatal("opening the link turned the email off")
		}
		// Broken or altered tokens are refused and change nothing.
		tampered := strings.Replace(path, "/email-off/", "/email-off/x", 1)
		for _, p := range []string{"/email-off/garbage", "/email-off/a.b", tampered} {
			if r := e.postForm(p, ""); r.Status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", p, r.Status)
			}
		}
		if !e.settings(m)["booking_requested"] {
			t.Fatal("a bad token turned the email off")
		}

		// The button (or a mail client's one-click POST) turns it off.
		r := e.postForm(path, "List-Unsubscribe=One-Click")
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path {
			t.Fatalf("POST: %d %s", r.Status, r.Header.Get("Location"))
		}
		s := e.settings(m)
		if s["booking_requested"] || !s["booking_accepted"] {
			t.Fatalf("settings after the link %v", s)
		}
		res, _ = anon.Get(e.srv.URL + path)
		page, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(page), "are off") || strings.Contains(string(page), "<form method=\"post\" action=\"/email-off") {
			t.Errorf("page after turning off:\n%s", page)
		}

		// A turned-off kind sends no email but keeps the notification.
		before := e.unread(m)
		e.mustBook(b, m.ID, mon10.Add(2*time.Hour))
		e.runJobs()
		if n := len(e.smtp.To(mAddr)); n != 1 {
			t.Errorf("%d emails to the mentor, want still 1", n)
		}
		if e.unread(m) != before+1 {
			t.Errorf("unread %d, want %d", e.unread(m), before+1)
		}
	})
}

func TestAnEmailIsRetriedWhileTheServerFailsAndDeliveredOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		mAddr, aAddr := e.emailOf(m), e.emailOf(a)

		e.smtp.Refuse(1)
		b := e.mustBook(a, m.ID, mon10)
		e.runJobs()
		if n := len(e.smtp.Messages()); n != 0 {
			t.Fatalf("%d emails after a refusal", n)
		}
		js, err := e.svc.Jobs.List(t.Context(), []mentorbook.JobStatus{mentorbook.JobQueued}, 10)
		if err != nil || len(js) != 1 || js[0].Kind != app.JobSendEmail || !strings.Contains(js[0].LastError, "451") {
			t.Fatalf("queued jobs %+v, %v", js, err)
		}
		e.clock.Advance(time.Minute)
		e.runJobs()
		e.clock.Advance(time.Hour)
		e.runJobs()
		if n := len(e.smtp.To(mAddr)); n != 1 {
			t.Fatalf("%d emails after the retry, want exactly 1", n)
		}

		// A reply lost after the server kept the message: the retry sends
		// it again, as the same message (same Message-ID).
		e.smtp.LoseReply(1)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
		e.runJobs()
		e.clock.Advance(time.Minute)
		e.runJobs()
		got := e.smtp.To(aAddr)
		if len(got) != 2 || got[0].Header("Message-Id") == "" || got[0].Header("Message-Id") != got[1].Header("Message-Id") {
			t.Fatalf("copies %d with Message-Ids %q", len(got), []string{got[0].Header("Message-Id"), got[len(got)-1].Header("Message-Id")})
		}

		// A server that keeps failing: given up after the attempts, the
		// error kept.
		e.smtp.Refuse(1000)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", b.ID), m.Token, map[string]string{"reason": "ill"}), http.StatusOK)
		for range 30 {
			e.runJobs()
			e.clock.Advance(2 * time.Hour)
		}
		// (Two: the mentee's notice and the mentor's own calendar cancel.)
		failed, err := e.svc.Jobs.List(t.Context(), []mentorbook.JobStatus{mentorbook.JobFailed}, 10)
		if err != nil || len(failed) != 2 {
			t.Fatalf("failed jobs %+v, %v", failed, err)
		}
		for _, f := range failed {
			if f.Kind != app.JobSendEmail || f.Attempts != f.MaxAttempts || !strings.Contains(f.LastError, "451") {
				t.Fatalf("failed job %+v", f)
			}
		}
		if n := len(e.smtp.To(aAddr)); n != 2 {
			t.Errorf("%d emails to the mentee, want the 2 from before", n)
		}
	})
}

func TestEveryBookingEventEmailsItsRecipientOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"pending_expiry_hours": 2})
		a := e.signup("Asia/Kolkata")
		mAddr, aAddr := e.emailOf(m), e.emailOf(a)
		day := 24 * time.Hour
		post := func(u user, id int64, action, reason string) {
			t.Helper()
			want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/%s", id, action), u.Token, map[string]string{"reason": reason}), http.StatusOK)
		}
		post(m, e.mustBook(a, m.ID, mon10.Add(day)).ID, "decline", "away")
		post(a, e.mustBook(a, m.ID, mon10.Add(2*day)).ID, "cancel", "ill")
		post(m, e.mustBook(a, m.ID, mon10.Add(3*day)).ID, "cancel", "clash")
		e.mustBook(a, m.ID, mon10.Add(4*day))
		e.clock.Advance(2 * time.Hour)
		// The minute sweep expires it, and tells the mentee.
		if err := store.Write(t.Context(), func(tx mentorbook.Tx) error {
			return e.svc.Jobs.Enqueue(t.Context(), tx, app.JobExpireBookings, "test", struct{}{}, e.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		e.runJobs()
		e.clock.Advance(time.Hour)
		e.runJobs()

		subjects := func(addr string) []string {
			var out []string
			for _, msg := range e.smtp.To(addr) {
				out = append(out, msg.Subject())
			}
			return out
		}
		wantMentor := []string{"Booking request from User 2", "Booking request from User 2", "User 2 cancelled your session",
			"Booking request from User 2", "Booking request from User 2"}
		wantMentee := []string{"User 1 declined your booking request", "User 1 cancelled your session", "Your booking request expired"}
		if got := subjects(mAddr); strings.Join(got, "|") != strings.Join(wantMentor, "|") {
			t.Errorf("mentor's emails %q, want %q", got, wantMentor)
		}
		if got := subjects(aAddr); strings.Join(got, "|") != strings.Join(wantMentee, "|") {
			t.Errorf("mentee's emails %q, want %q", got, wantMentee)
		}
		// The mentee's, in Kolkata time: 10:00 UTC is 15:30 IST.
		for i, msg := range e.smtp.To(aAddr) {
			if text := msg.Part("text/plain"); !strings.Contains(text, "15:30–16:30 (Asia/Kolkata)") {
				t.Errorf("mentee's email %d lacks the Kolkata time:\n%s", i, text)
			}
		}
	})
}

// Every mentorship event emails the person it concerns once, with
// deadlines in that person's zone.
func TestEveryMentorshipEventEmailsItsRecipientOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("Asia/Kolkata")
		mAddr, aAddr := e.emailOf(m), e.emailOf(a)
		paid := e.mustService(m, map[string]any{"title": "Paid", "price_minor": 25000, "format": "sessions", "sessions": 4, "session_minutes": 60})
		titles := []string{"One", "Two", "Three", "Four", "Five"}
		var ids []int64
		for _, title := range titles {
			sv := e.mustService(m, map[string]any{"title": title, "price_minor": 0, "format": "sessions", "sessions": 2, "session_minutes": 30})
			ids = append(ids, e.mustMentorship(a, sv.ID).ID)
		}
		want(t, e.act(m, ids[0], "decline", map[string]string{"reason": "full"}), http.StatusOK)
		want(t, e.act(a, ids[1], "withdraw", nil), http.StatusOK)
		want(t, e.act(m, ids[2], "accept", nil), http.StatusOK)
		want(t, e.act(a, ids[2], "cancel", map[string]string{"reason": "moved"}), http.StatusOK)
		want(t, e.act(m, ids[3], "accept", nil), http.StatusOK)
		want(t, e.act(a, ids[3], "complete", nil), http.StatusOK)
		// The paid one is accepted, then never paid: it expires after 7 days.
		p := e.mustMentorship(a, paid.ID)
		want(t, e.act(m, p.ID, "accept", nil), http.StatusOK)
		e.clock.Advance(8 * 24 * time.Hour)
		if err := store.Write(t.Context(), func(tx mentorbook.Tx) error {
			return e.svc.Jobs.Enqueue(t.Context(), tx, app.JobExpireMentorships, "test", struct{}{}, e.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		e.runJobs()
		e.runJobs() // nothing is sent twice

		subjects := func(addr string) map[string]int {
			out := map[string]int{}
			for _, msg := range e.smtp.To(addr) {
				out[msg.Subject()]++
			}
			return out
		}
		wantMentor := map[string]int{}
		for _, title := range append(titles, "Paid") {
			wantMentor["User 2 requests “"+title+"”"] = 1
		}
		wantMentor["User 2 withdrew their request for “Two”"] = 1
		wantMentor["User 2 cancelled the mentorship “Three”"] = 1
		wantMentor["The mentorship “Four” is complete"] = 1
		wantMentee := map[string]int{
			"User 1 declined your request for “One”":   1,
			"User 1 accepted your request for “Three”": 1,
			"User 1 accepted your request for “Four”":  1,
			"User 1 accepted your request for “Paid”":  1,
			"Your request for “Paid” expired":          1,
			// Never answered: it expired after the mentor's 48 hours.
			"Your request for “Five” expired": 1,
		}
		if got := subjects(mAddr); fmt.Sprint(got) != fmt.Sprint(wantMentor) {
			t.Errorf("mentor's emails:\n%v\nwant\n%v", got, wantMentor)
		}
		if got := subjects(aAddr); fmt.Sprint(got) != fmt.Sprint(wantMentee) {
			t.Errorf("mentee's emails:\n%v\nwant\n%v", got, wantMentee)
		}
		// Deadlines in each recipient's zone, named.
		for _, msg := range e.smtp.To(mAddr) {
			if strings.Contains(msg.Subject(), "requests") && !strings.Contains(msg.Part("text/plain"), "(Europe/Berlin)") {
				t.Errorf("mentor's request email lacks the Berlin deadline:\n%s", msg.Part("text/plain"))
			}
		}
		for _, msg := range e.smtp.To(aAddr) {
			if strings.Contains(msg.Subject(), "“Paid”") && strings.Contains(msg.Subject(), "accepted") &&
				!strings.Contains(msg.Part("text/plain"), "(Asia/Kolkata)") {
				t.Errorf("mentee's payment deadline is not in Kolkata time:\n%s", msg.Part("text/plain"))
			}
		}
	})
}
