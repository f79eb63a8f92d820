package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func (s Ops) CreateBroadcast(ctx context.Context, b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) { return tx.Broadcasts().Create(ctx, b) })
}

func (s Ops) Broadcast(ctx context.Context, id int64) (mentorbook.Broadcast, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) { return tx.Broadcasts().Get(ctx, id, false) })
}

func (s Ops) UpdateBroadcast(ctx context.Context, b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) { return tx.Broadcasts().Update(ctx, b) })
}

func (s Ops) DeleteBroadcast(ctx context.Context, id int64) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Broadcasts().Delete(ctx, id) })
}

func (s Ops) ListBroadcasts(ctx context.Context, f mentorbook.BroadcastFilter) ([]mentorbook.Broadcast, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Broadcast, error) { return tx.Broadcasts().List(ctx, f) })
}

func (s Ops) Respond(ctx context.Context, r mentorbook.BroadcastResponse) (mentorbook.BroadcastResponse, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.BroadcastResponse, error) { return tx.Broadcasts().Respond(ctx, r) })
}

func (s Ops) Responses(ctx context.Context, broadcastID, mentorID int64) ([]mentorbook.BroadcastResponse, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.BroadcastResponse, error) {
		return tx.Broadcasts().Responses(ctx, broadcastID, mentorID)
	})
}

func mustBroadcast(t *testing.T, s Ops, author int64, title, body string, skills ...string) mentorbook.Broadcast {
	t.Helper()
	if skills == nil {
		skills = []string{}
	}
	b, err := s.CreateBroadcast(t.Context(), mentorbook.Broadcast{AuthorID: author, Title: title, Body: body,
		Skills: skills, Status: mentorbook.BroadcastOpen, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatalf("CreateBroadcast(%s): %v", title, err)
	}
	return b
}

func broadcastIDs(bs []mentorbook.Broadcast) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}

var broadcastTests = []test{
	{"a broadcast is stored, read, updated and deleted with its responses", func(t *testing.T, s Ops) {
		ctx := t.Context()
		ada := mustUser(t, s, "ada")
		m := mustMentor(t, s, "mentor", "go")
		b := mustBroadcast(t, s, ada.ID, "PHP to Go", "Help me move.", "go", "php")
		if b.ID == 0 || b.AuthorID != ada.ID || b.AuthorName != "ada" || b.Title != "PHP to Go" || b.Body != "Help me move." ||
			!slices.Equal(b.Skills, []string{"go", "php"}) || b.Status != mentorbook.BroadcastOpen || b.ResponsesCount != 0 {
			t.Errorf("created %+v", b)
		}
		wantTime(t, "CreatedAt", b.CreatedAt, now)
		wantTime(t, "UpdatedAt", b.UpdatedAt, now)

		later := now.Add(time.Hour)
		b.Title, b.Body, b.Skills, b.Status, b.UpdatedAt = "Go", "Now.", []string{"rust"}, mentorbook.BroadcastClosed, later
		got, err := s.UpdateBroadcast(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Go" || got.Body != "Now." || !slices.Equal(got.Skills, []string{"rust"}) || got.Status != mentorbook.BroadcastClosed {
			t.Errorf("updated %+v", got)
		}
		wantTime(t, "UpdatedAt", got.UpdatedAt, later)
		wantTime(t, "CreatedAt after update", got.CreatedAt, now)

		if _, err := s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: m.ID, Message: "hi", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Broadcast(ctx, b.ID); got.ResponsesCount != 1 {
			t.Errorf("ResponsesCount = %d, want 1", got.ResponsesCount)
		}
		if err := s.DeleteBroadcast(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Broadcast(ctx, b.ID)
		wantCode(t, "Get after delete", err, mentorbook.ENOTFOUND)
		wantCode(t, "Delete again", s.DeleteBroadcast(ctx, b.ID), mentorbook.ENOTFOUND)
		rs, err := s.Responses(ctx, b.ID, 0)
		if err != nil || len(rs) != 0 {
			t.Errorf("responses after delete: %v, %v", rs, err)
		}
		b.ID = 999
		_, err = s.UpdateBroadcast(ctx, b)
		wantCode(t, "Update(999)", err, mentorbook.ENOTFOUND)
	}},

	{"broadcasts are listed newest first, by skill, status, author and words, and paged", func(t *testing.T, s Ops) {
		ctx := t.Context()
		ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		b1 := mustBroadcast(t, s, ada.ID, "PHP to Go", "Moving a monolith", "go", "php")
		b2 := mustBroadcast(t, s, bob.ID, "Learning SQL", "Joins confuse me", "sql")
		b3 := mustBroadcast(t, s, ada.ID, "100% coverage_now", "ÉCOLE de Go", "go")
		b4 := mustBroadcast(t, s, bob.ID, "Closed one", "go away", "go")
		b4.Status = mentorbook.BroadcastClosed
		if _, err := s.UpdateBroadcast(ctx, b4); err != nil {
			t.Fatal(err)
		}
		list := func(f mentorbook.BroadcastFilter) []int64 {
			t.Helper()
			if f.Limit == 0 {
				f.Limit = 10
			}
			bs, err := s.ListBroadcasts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return broadcastIDs(bs)
		}
		for name, c := range map[string]struct {
			f    mentorbook.BroadcastFilter
			want []int64
		}{
			"all":                       {mentorbook.BroadcastFilter{}, []int64{b4.ID, b3.ID, b2.ID, b1.ID}},
			"skill":                     {mentorbook.BroadcastFilter{Skill: "go"}, []int64{b4.ID, b3.ID, b1.ID}},
			"open":                      {mentorbook.BroadcastFilter{Status: mentorbook.BroadcastOpen}, []int64{b3.ID, b2.ID, b1.ID}},
			"closed":                    {mentorbook.BroadcastFilter{Status: mentorbook.BroadcastClosed}, []int64{b4.ID}},
			"author":                    {mentorbook.BroadcastFilter{AuthorID: bob.ID}, []int64{b4.ID, b2.ID}},
			"a word in the title":       {mentorbook.BroadcastFilter{Words: []string{"sql"}}, []int64{b2.ID}},
			"every word must match":     {mentorbook.BroadcastFilter{Words: []string{"go", "monolith"}}, []int64{b1.ID}},
			"one word missing":          {mentorbook.BroadcastFilter{Words: []string{"go", "joins"}}, []int64{}},
			"non-ASCII case":            {mentorbook.BroadcastFilter{Words: []string{"école"}}, []int64{b3.ID}},
			"percent matches itself":    {mentorbook.BroadcastFilter{Words: []string{"100%"}}, []int64{b3.ID}},
			"percent is no wildcard":    {mentorbook.BroadcastFilter{Words: []string{"php%go"}}, []int64{}},
			"underscore matches itself": {mentorbook.BroadcastFilter{Words: []string{"coverage_now"}}, []int64{b3.ID}},
			"underscore is no wildcard": {mentorbook.BroadcastFilter{Words: []string{"to_go"}}, []int64{}},
			"backslash matches itself":  {mentorbook.BroadcastFilter{Words: []string{`\`}}, []int64{}},
			"skill, status and a word":  {mentorbook.BroadcastFilter{Skill: "go", Status: mentorbook.BroadcastOpen, Words: []string{"php"}}, []int64{b1.ID}},
			"before an id":              {mentorbook.BroadcastFilter{BeforeID: b3.ID}, []int64{b2.ID, b1.ID}},
			"limit":                     {mentorbook.BroadcastFilter{Limit: 2}, []int64{b4.ID, b3.ID}},
			"skill and before an id":    {mentorbook.BroadcastFilter{Skill: "go", BeforeID: b4.ID, Limit: 1}, []int64{b3.ID}},
		} {
			if got := list(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	}},

	{"one response per mentor per broadcast, decided by the database even when they race", func(t *testing.T, s Ops) {
		ctx := t.Context()
		ada := mustUser(t, s, "ada")
		m1, m2 := mustMentor(t, s, "m1"), mustMentor(t, s, "m2")
		b := mustBroadcast(t, s, ada.ID, "Help", "Please")
		r1, err := s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: m1.ID, Message: "me", CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if r1.ID == 0 || r1.BroadcastID != b.ID || r1.MentorID != m1.ID || r1.MentorName != "m1" || r1.Message != "me" || r1.ServiceID != 0 {
			t.Errorf("response %+v", r1)
		}
		wantTime(t, "CreatedAt", r1.CreatedAt, now)
		_, err = s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: m1.ID, Message: "again", CreatedAt: now})
		wantCode(t, "second response", err, mentorbook.ECONFLICT)
		if msg := mentorbook.ErrorMessage(err); msg != "You already answered this broadcast." {
			t.Errorf("message %q", msg)
		}

		// Eight racing answers of one mentor: exactly one lands.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: m2.ID, Message: "race", CreatedAt: now.Add(time.Minute)})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch mentorbook.ErrorCode(err) {
			case "":
				ok++
			case mentorbook.ECONFLICT:
			default:
				t.Errorf("racing response: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d racing responses landed, want 1", ok)
		}

		all, err := s.Responses(ctx, b.ID, 0)
		if err != nil || len(all) != 2 || all[0].MentorID != m1.ID || all[1].MentorID != m2.ID {
			t.Fatalf("all responses %+v, %v", all, err)
		}
		own, err := s.Responses(ctx, b.ID, m2.ID)
		if err != nil || len(own) != 1 || own[0].MentorID != m2.ID {
			t.Errorf("m2's responses %+v, %v", own, err)
		}
		if got, _ := s.Broadcast(ctx, b.ID); got.ResponsesCount != 2 {
			t.Errorf("ResponsesCount = %d, want 2", got.ResponsesCount)
		}
		_, err = s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: 999, MentorID: m1.ID, Message: "x", CreatedAt: now})
		wantCode(t, "response to no broadcast", err, mentorbook.ENOTFOUND)
	}},

	{"a response keeps the service it proposes, with its title and price", func(t *testing.T, s Ops) {
		ctx := t.Context()
		ada := mustUser(t, s, "ada")
		m := mustMentor(t, s, "m")
		sv := s.CreateService(t, program(m.ID, "Go in four weeks", 25000))
		b := mustBroadcast(t, s, ada.ID, "Help", "Please")
		r, err := s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: m.ID, Message: "this",
			ServiceID: sv.ID, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if r.ServiceID != sv.ID || r.ServiceTitle != "Go in four weeks" || r.ServicePriceMinor != 25000 {
			t.Errorf("response %+v, want service %d", r, sv.ID)
		}
		_, err = s.Respond(ctx, mentorbook.BroadcastResponse{BroadcastID: b.ID, MentorID: mustMentor(t, s, "m2").ID,
			Message: "x", ServiceID: 999, CreatedAt: now})
		wantCode(t, "an unknown service", err, mentorbook.ENOTFOUND)
	}},
}
