package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type broadcastOut struct {
	ID     int64
	Author struct {
		ID   int64
		Name string
	}
	Title, Body    string
	Skills         []string
	Status         string
	ResponsesCount int       `json:"responses_count"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

type responseOut struct {
	ID          int64
	BroadcastID int64 `json:"broadcast_id"`
	Mentor      struct {
		ID   int64
		Name string
	}
	Message   string
	ServiceID *int64    `json:"service_id"`
	CreatedAt time.Time `json:"created_at"`
}

func (e *env) broadcast(u user, title string, skills ...string) broadcastOut {
	e.t.Helper()
	var b broadcastOut
	want(e.t, e.call("POST", "/api/v1/broadcasts", u.Token, map[string]any{
		"title": title, "body": "Body of " + title, "skills": skills,
	}), http.StatusCreated).decode(e.t, &b)
	return b
}

// snapshot is everything a refused request could change about a broadcast:
// its public form and every response, as its author sees them.
func (e *env) snapshot(author user, id int64) string {
	e.t.Helper()
	b := e.call("GET", fmt.Sprintf("/api/v1/broadcasts/%d", id), "", nil)
	rs := e.call("GET", fmt.Sprintf("/api/v1/broadcasts/%d/responses", id), author.Token, nil)
	return fmt.Sprintf("%d %s | %d %s", b.Status, b.Body, rs.Status, rs.Body)
}

func TestBroadcastIsPostedReadAndListed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		ada := e.signup("UTC")
		r := want(t, e.call("POST", "/api/v1/broadcasts", ada.Token, map[string]any{
			"title": "  PHP to Go  ", "body": "Looking for help moving from PHP to Go.", "skills": []string{"Go", " PHP", "go"},
		}), http.StatusCreated)
		var b broadcastOut
		r.decode(t, &b)
		if b.ID == 0 || b.Author.ID != ada.ID || b.Author.Name != "User 1" || b.Title != "PHP to Go" ||
			b.Body != "Looking for help moving from PHP to Go." || !slices.Equal(b.Skills, []string{"go", "php"}) ||
			b.Status != "open" || b.ResponsesCount != 0 || !b.CreatedAt.Equal(testNow) || !b.UpdatedAt.Equal(testNow) {
			t.Fatalf("created %s", r.Body)
		}
		// Public reads: anonymous and signed in alike.
		for _, token := range []string{"", ada.Token} {
			var got broadcastOut
			want(t, e.call("GET", fmt.Sprintf("/api/v1/broadcasts/%d", b.ID), token, nil), http.StatusOK).decode(t, &got)
			if got.ID != b.ID || got.Title != b.Title {
				t.Errorf("read %+v", got)
			}
		}
		want(t, e.call("GET", "/api/v1/broadcasts/999", "", nil), http.StatusNotFound).problem(t)
		want(t, e.call("GET", "/api/v1/broadcasts/x", "", nil), http.StatusNotFound)

		// Anonymous may not post; invalid fields are named.
		want(t, e.call("POST", "/api/v1/broadcasts", "", map[string]any{"title": "t", "body": "b"}), http.StatusUnauthorized)
		long := string(bytes.Repeat([]byte("x"), 101))
		for name, c := range map[string]struct {
			body  map[string]any
			field string
		}{
			"no title":       {map[string]any{"body": "b"}, "title"},
			"blank title":    {map[string]any{"title": "  ", "body": "b"}, "title"},
			"long title":     {map[string]any{"title": long, "body": "b"}, "title"},
			"no body":        {map[string]any{"title": "t"}, "body"},
			"long body":      {map[string]any{"title": "t", "body": string(bytes.Repeat([]byte("é"), 5001))}, "body"},
			"eleven skills":  {map[string]any{"title": "t", "body": "b", "skills": []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}, "skills"},
			"NUL in title":   {map[string]any{"title": "a\x00b", "body": "b"}, "title"},
			"NUL in a skill": {map[string]any{"title": "t", "body": "b", "skills": []string{"a\x00"}}, "skills"},
		} {
			p := want(t, e.call("POST", "/api/v1/broadcasts", ada.Token, c.body), http.StatusUnprocessableEntity).problem(t)
			if p.Fields[c.field] == "" {
				t.Errorf("%s: fields %v, want %s", name, p.Fields, c.field)
			}
		}
		want(t, e.call("POST", "/api/v1/broadcasts", ada.Token, map[string]any{"title": "t", "body": "b", "extra": 1}), http.StatusBadRequest)
		var list struct{ Broadcasts []broadcastOut }
		want(t, e.call("GET", "/api/v1/broadcasts", "", nil), http.StatusOK).decode(t, &list)
		if len(list.Broadcasts) != 1 {
			t.Errorf("refused posts were stored: %+v", list.Broadcasts)
		}
	})
}

func TestBroadcastListFiltersAndPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		ada, bob := e.signup("UTC"), e.signup("UTC")
		b1 := e.broadcast(ada, "PHP to Go", "go", "php")
		b2 := e.broadcast(bob, "SQL joins", "sql")
		b3 := e.broadcast(ada, "50% off_go", "go")
		want(t, e.call("POST", fmt.Sprintf("/api/v1/broadcasts/%d/close", b2.ID), bob.Token, nil), http.StatusOK)
		list := func(query string) []int64 {
			t.Helper()
			var out struct {
				Broadcasts []broadcastOut
				NextCursor string `json:"next_cursor"`
			}
			want(t, e.call("GET", "/api/v1/broadcasts"+query, "", nil), http.StatusOK).decode(t, &out)
			var got []int64
			for _, b := range out.Broadcasts {
				got = append(got, b.ID)
			}
			return got
		}
		for query, wantIDs := range map[string][]int64{
			"":                                   {b3.ID, b2.ID, b1.ID},
			"?skill=GO":                          {b3.ID, b1.ID},
			"?status=open":                       {b3.ID, b1.ID},
			"?status=closed":                     {b2.ID},
			"?q=php+GO":                          {b1.ID},
			"?q=go+joins":                        nil,
			"?q=50%25":                           {b3.ID},
			"?q=o%25g":                           nil,
			"?q=f_g":                             {b3.ID},
			"?q=p_p":                             nil,
			fmt.Sprintf("?author_id=%d", bob.ID): {b2.ID},
			"?skill=go&status=open&q=php":        {b1.ID},
		} {
			if got := list(query); !slices.Equal(got, wantIDs) {
				t.Errorf("%s: %v, want %v", query, got, wantIDs)
			}
		}
		// Pages follow the cursor to the end.
		var seen []int64
		cursor := ""
		for range 5 {
			var out struct {
				Broadcasts []broadcastOut
				NextCursor string `json:"next_cursor"`
			}
			want(t, e.call("GET", "/api/v1/broadcasts?limit=2&cursor="+cursor, "", nil), http.StatusOK).decode(t, &out)
			for _, b := range out.Broadcasts {
				seen = append(seen, b.ID)
			}
			if cursor = out.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(seen, []int64{b3.ID, b2.ID, b1.ID}) {
			t.Errorf("paged %v", seen)
		}
		for _, q := range []string{"?status=pending", "?limit=0", "?cursor=%21", "?author_id=x", "?q=a%00b", "?skill=%FF", "?q=%FF"} {
			want(t, e.call("GET", "/api/v1/broadcasts"+q, "", nil), http.StatusUnprocessableEntity).problem(t)
		}
	})
}

func TestBroadcastChangesAreTheAuthorsAlone(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		author := e.signup("UTC")
		other := e.signup("UTC")
		responder := e.mentor("UTC", nil)
		b := e.broadcast(author, "Help", "go")
		want(t, e.call("POST", fmt.Sprintf("/api/v1/broadcasts/%d/responses", b.ID), responder.Token, map[string]any{"message": "me"}), http.StatusCreated)
		path := fmt.Sprintf("/api/v1/broadcasts/%d", b.ID)
		before := e.snapshot(author, b.ID)
		for who, c := range map[string]struct {
			token  string
			status int
		}{"another user": {other.Token, 404}, "the responding mentor": {responder.Token, 404}, "anonymous": {"", 401}} {
			want(t, e.call("PATCH", path, c.token, map[string]any{"title": "Mine now"}), c.status).problem(t)
			want(t, e.call("POST", path+"/close", c.token, nil), c.status).problem(t)
			want(t, e.call("DELETE", path, c.token, nil), c.status).problem(t)
			if after := e.snapshot(author, b.ID); after != before {
				t.Fatalf("%s changed the broadcast:\n%s\n%s", who, before, after)
			}
		}
		// An invalid edit by the author changes nothing either.
		want(t, e.call("PATCH", path, author.Token, map[string]any{"title": ""}), http.StatusUnprocessableEntity)
		want(t, e.call("PATCH", path, author.Token, map[string]any{"skills": []string{"a\x00"}}), http.StatusUnprocessableEntity)
		if after := e.snapshot(author, b.ID); after != before {
			t.Fatalf("a refused edit changed the broadcast")
		}

		e.clock.Advance(time.Hour)
		var got broadcastOut
		want(t, e.call("PATCH", path, author.Token, map[string]any{"body": "New body", "skills": []string{"Rust"}}), http.StatusOK).decode(t, &got)
		if got.Title != "Help" || got.Body != "New body" || !slices.Equal(got.Skills, []string{"rust"}) ||
			!got.UpdatedAt.Equal(testNow.Add(time.Hour)) || !got.CreatedAt.Equal(testNow) || got.ResponsesCount != 1 {
			t.Fatalf("patched %+v", got)
		}
		want(t, e.call("POST", path+"/close", author.Token, nil), http.StatusOK).decode(t, &got)
		if got.Status != "closed" {
			t.Fatalf("closed %+v", got)
		}
		closed := e.snapshot(author, b.ID)
		want(t, e.call("POST", path+"/close", author.Token, nil), http.StatusConflict).problem(t)
		want(t, e.call("PATCH", path, author.Token, map[string]any{"title": "Reopen?"}), http.StatusConflict).problem(t)
		if after := e.snapshot(author, b.ID); after != closed {
			t.Fatalf("a refused change of a closed broadcast changed it")
		}
		want(t, e.call("DELETE", path, author.Token, nil), http.StatusNoContent)
		want(t, e.call("GET", path, "", nil), http.StatusNotFound)
		want(t, e.call("DELETE", path, author.Token, nil), http.StatusNotFound)
	})
}

func TestBroadcastResponses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		author := e.mentor("UTC", nil) // a mentor too, to try answering their own
		m1, m2 := e.mentor("UTC", nil), e.mentor("UTC", nil)
		mentee := e.signup("UTC")
		b := e.broadcast(author, "Help")
		path := fmt.Sprintf("/api/v1/broadcasts/%d/responses", b.ID)
		respond := func(u user, body any) response { return e.call("POST", path, u.Token, body) }

		var r1 responseOut
		want(t, respond(m1, map[string]any{"message": "  I can help.  "}), http.StatusCreated).decode(t, &r1)
		if r1.ID == 0 || r1.BroadcastID != b.ID || r1.Mentor.ID != m1.ID || r1.Mentor.Name != "User 2" ||
			r1.Message != "I can help." || r1.ServiceID != nil || !r1.CreatedAt.Equal(testNow) {
			t.Fatalf("response %+v", r1)
		}
		before := e.snapshot(author, b.ID)
		for name, c := range map[string]struct {
			u      user
			body   any
			status int
		}{
			"a second answer":      {m1, map[string]any{"message": "again"}, http.StatusConflict},
			"by a non-mentor":      {mentee, map[string]any{"message": "me"}, http.StatusForbidden},
			"to one's own":         {author, map[string]any{"message": "me"}, http.StatusUnprocessableEntity},
			"anonymous":            {user{}, map[string]any{"message": "me"}, http.StatusUnauthorized},
			"without a message":    {m2, map[string]any{"message": " "}, http.StatusUnprocessableEntity},
			"with a long message":  {m2, map[string]any{"message": string(bytes.Repeat([]byte("x"), 2001))}, http.StatusUnprocessableEntity},
			"with NUL":             {m2, map[string]any{"message": "a\x00"}, http.StatusUnprocessableEntity},
			"with a wrong service": {m2, map[string]any{"message": "me", "service_id": 12345}, http.StatusUnprocessableEntity},
			"with no body":         {m2, nil, http.StatusBadRequest},
		} {
			want(t, respond(c.u, c.body), c.status).problem(t)
			if after := e.snapshot(author, b.ID); after != before {
				t.Fatalf("%s changed the responses:\n%s\n%s", name, before, after)
			}
		}
		want(t, e.call("POST", "/api/v1/broadcasts/999/responses", m2.Token, map[string]any{"message": "me"}), http.StatusNotFound)

		var r2 responseOut
		want(t, respond(m2, map[string]any{"message": "Me too"}), http.StatusCreated).decode(t, &r2)

		// Who sees which responses.
		seen := func(u user, status int) []int64 {
			t.Helper()
			var out struct{ Responses []responseOut }
			r := want(t, e.call("GET", path, u.Token, nil), status)
			if status != http.StatusOK {
				r.problem(t)
				return nil
			}
			r.decode(t, &out)
			var got []int64
			for _, x := range out.Responses {
				got = append(got, x.ID)
			}
			return got
		}
		if got := seen(author, 200); !slices.Equal(got, []int64{r1.ID, r2.ID}) {
			t.Errorf("author sees %v", got)
		}
		if got := seen(m1, 200); !slices.Equal(got, []int64{r1.ID}) {
			t.Errorf("m1 sees %v", got)
		}
		seen(mentee, http.StatusNotFound)
		seen(user{}, http.StatusUnauthorized)
		var got broadcastOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/broadcasts/%d", b.ID), "", nil), http.StatusOK).decode(t, &got)
		if got.ResponsesCount != 2 {
			t.Errorf("responses_count %d", got.ResponsesCount)
		}

		// A closed broadcast takes no more answers.
		m3 := e.mentor("UTC", nil)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/broadcasts/%d/close", b.ID), author.Token, nil), http.StatusOK)
		closed := e.snapshot(author, b.ID)
		want(t, respond(m3, map[string]any{"message": "late"}), http.StatusConflict).problem(t)
		if after := e.snapshot(author, b.ID); after != closed {
			t.Fatalf("an answer to a closed broadcast landed")
		}
	})
}

func TestBroadcastResponseProposesOneOfTheMentorsServices(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		author := e.signup("UTC")
		m, other := e.mentor("UTC", nil), e.mentor("UTC", nil)
		b := e.broadcast(author, "Help")
		path := fmt.Sprintf("/api/v1/broadcasts/%d/responses", b.ID)
		program := e.mustService(m, paidProgram())
		free := e.services("/api/v1/me/services", m.Token)[0]
		if !free.IsDefault {
			t.Fatalf("first service %+v is not the default", free)
		}
		inactive := paidProgram()
		inactive["active"] = false
		off := e.mustService(m, inactive)
		archived := e.mustService(m, paidProgram())
		want(t, e.call("DELETE", fmt.Sprintf("/api/v1/me/services/%d", archived.ID), m.Token, nil), http.StatusNoContent)
		theirs := e.mustService(other, paidProgram())

		before := e.snapshot(author, b.ID)
		for name, id := range map[string]int64{
			"the free consultation": free.ID, "an inactive one": off.ID, "an archived one": archived.ID,
			"another mentor's": theirs.ID, "none that exists": 99999, "zero": 0,
		} {
			p := want(t, e.call("POST", path, m.Token, map[string]any{"message": "me", "service_id": id}), http.StatusUnprocessableEntity).problem(t)
			if p.Fields["service_id"] == "" {
				t.Errorf("%s: fields %v", name, p.Fields)
			}
		}
		if after := e.snapshot(author, b.ID); after != before {
			t.Fatalf("a refused proposal landed")
		}
		var r responseOut
		want(t, e.call("POST", path, m.Token, map[string]any{"message": "me", "service_id": program.ID}), http.StatusCreated).decode(t, &r)
		if r.ServiceID == nil || *r.ServiceID != program.ID {
			t.Fatalf("response %+v, want service %d", r, program.ID)
		}
		var list struct{ Responses []responseOut }
		want(t, e.call("GET", path, author.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Responses) != 1 || list.Responses[0].ServiceID == nil || *list.Responses[0].ServiceID != program.ID {
			t.Errorf("the author sees %+v", list.Responses)
		}
	})
}
