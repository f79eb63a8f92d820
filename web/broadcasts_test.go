package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/mentorbook/mentorbook/app"
)

func TestBroadcastBoardPostAndAnswer(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "Asia/Kolkata")
	maria := e.mentor("Maria", "maria@example.com", "America/New_York")
	bob := e.signup("Bob", "bob@example.com", "UTC")

	// Posting needs an account; a refused form keeps what was typed.
	wantRedirect(t, e.anonymous().get("/broadcasts/new"), "/login?next=%2Fbroadcasts%2Fnew")
	p := ada.refused(ada.post("/broadcasts", url.Values{"title": {" "}, "body": {"Kept body"}, "skills": {"go"}}), "/broadcasts/new")
	wantContains(t, p, `id="title-error"`, "is required", "Kept body", `value="go"`)
	wantStatus(t, ada.get("/broadcasts/new"), http.StatusOK)
	p = ada.post("/broadcasts", url.Values{"title": {"PHP to Go"}, "body": {"Help me move a monolith."}, "skills": {"Go, PHP"}})
	wantRedirect(t, p, "/broadcasts/1?done=posted")
	p = ada.refused(ada.get("/broadcasts/1?done=posted"), "/broadcasts/1")
	wantContains(t, p, "Your broadcast is posted.", "<h1>PHP to Go</h1>", "Help me move a monolith.", "No answers yet.", `id="close-broadcast"`)

	// The board, filtered by skill and words, for anyone.
	wantContains(t, e.anonymous().get("/broadcasts"), `<a href="/broadcasts/1">PHP to Go</a>`, "By Ada", "<li>php</li>")
	wantContains(t, e.anonymous().get("/broadcasts?skill=rust"), "No open broadcasts with the skill “rust”.")
	wantContains(t, e.anonymous().get("/broadcasts?q=monolith+go"), `<a href="/broadcasts/1">PHP to Go</a>`)
	wantContains(t, e.anonymous().get("/broadcasts?q=monolith+rust"), "No open broadcasts matching “monolith rust”.")
	wantStatus(t, e.anonymous().get("/broadcasts?q=a%00"), http.StatusUnprocessableEntity)
	wantContains(t, ada.get("/broadcasts"), "Your broadcasts", `id="post-broadcast"`)

	// Who sees the answer form.
	wantContains(t, e.anonymous().get("/broadcasts/1"), "as a mentor to answer")
	wantContains(t, bob.get("/broadcasts/1"), "Become a mentor")
	wantNotContains(t, bob.get("/broadcasts/1"), `id="respond"`, `id="close-broadcast"`)
	wantContains(t, maria.get("/broadcasts/1"), `id="respond"`, "Your message to Ada")

	// A mentor answers; a refused answer keeps nothing but the problem.
	p = maria.refused(maria.post("/broadcasts/1/responses", url.Values{"message": {" "}}), "/broadcasts/1")
	wantContains(t, p, `id="message-error"`, "is required")
	wantRedirect(t, maria.post("/broadcasts/1/responses", url.Values{"message": {"I moved three teams."}}), "/broadcasts/1?done=responded")
	p = maria.refused(maria.get("/broadcasts/1?done=responded"), "/broadcasts/1")
	wantContains(t, p, "Your answer is sent", "I moved three teams.")
	wantNotContains(t, p, `id="respond"`)
	p = maria.refused(maria.post("/broadcasts/1/responses", url.Values{"message": {"Again"}}), "/broadcasts/1")
	wantContains(t, p, "You already answered this broadcast.")
	wantStatus(t, bob.post("/broadcasts/1/responses", url.Values{"message": {"Me"}}), http.StatusForbidden)

	// The author sees the answer with a way to the mentor; others cannot close or delete.
	p = ada.get("/broadcasts/1")
	wantContains(t, p, "Answers from mentors", `<a href="/mentors/2">Maria</a>`, "I moved three teams.", "Open Maria’s page")
	wantStatus(t, bob.post("/broadcasts/1/close", nil), http.StatusNotFound)
	wantStatus(t, maria.post("/broadcasts/1/delete", nil), http.StatusNotFound)
	if b, err := e.svc.Broadcasts.Get(context.Background(), 1); err != nil || b.Status != "open" {
		t.Fatalf("after refused changes: %+v, %v", b, err)
	}
	wantRedirect(t, ada.post("/broadcasts/1/close", nil), "/broadcasts/1?done=closed")
	wantContains(t, maria.get("/broadcasts/1"), "closed")
	wantContains(t, e.anonymous().get("/broadcasts"), "No open broadcasts.")
	wantContains(t, e.anonymous().get("/broadcasts?status=closed"), `<a href="/broadcasts/1">PHP to Go</a>`)
	wantContains(t, ada.refused(ada.post("/broadcasts/1/close", nil), "/broadcasts/1"), "closed")
	wantRedirect(t, ada.post("/broadcasts/1/delete", nil), "/broadcasts?done=broadcast-deleted")
	wantStatus(t, ada.get("/broadcasts/1"), http.StatusNotFound)
}

func TestBroadcastBoardPages(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "UTC")
	for i := range 21 {
		title := "Broadcast " + formatInt(int64(i+1))
		if _, err := e.svc.Broadcasts.Create(context.Background(), ada.user, app.BroadcastInput{Title: &title, Body: &title}); err != nil {
			t.Fatal(err)
		}
	}
	p := e.anonymous().get("/broadcasts")
	wantContains(t, p, ">Broadcast 21</a>", ">Broadcast 2</a>", "Older broadcasts →")
	wantNotContains(t, p, ">Broadcast 1</a>")
}

func TestBroadcastAnswerProposesAService(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "UTC")
	maria := e.mentor("Maria", "maria@example.com", "America/New_York")
	ptr := func(s string) *string { return &s }
	sessions, minutes := 4, 45
	sv, err := e.svc.Services.Create(context.Background(), maria.user, app.ServiceInput{
		Title: ptr("Go in four weeks"), PriceMinor: ptr("25000"), Format: ptr("sessions"), Sessions: &sessions, SessionMinutes: &minutes,
	})
	if err != nil {
		t.Fatal(err)
	}
	title := "PHP to Go"
	if _, err := e.svc.Broadcasts.Create(context.Background(), ada.user, app.BroadcastInput{Title: &title, Body: &title}); err != nil {
		t.Fatal(err)
	}
	// The form offers the mentor's requestable services, not the free consultation.
	p := maria.get("/broadcasts/1")
	wantContains(t, p, `<option value="`+formatInt(sv.ID)+`">Go in four weeks · $250.00`)
	wantNotContains(t, p, "Free consultation")
	p = maria.refused(maria.post("/broadcasts/1/responses", url.Values{"message": {"Try this"}, "service_id": {"999"}}), "/broadcasts/1")
	wantContains(t, p, `id="service_id-error"`, "Try this")
	wantRedirect(t, maria.post("/broadcasts/1/responses", url.Values{"message": {"Try this"}, "service_id": {formatInt(sv.ID)}}), "/broadcasts/1?done=responded")
	wantContains(t, maria.get("/broadcasts/1"), "You proposed <strong>Go in four weeks</strong> ($250.00).")
	wantContains(t, ada.get("/broadcasts/1"), "Proposes <strong>Go in four weeks</strong> ($250.00)",
		`href="/mentors/2#service-`+formatInt(sv.ID)+`"`, "Request Go in four weeks")
}
