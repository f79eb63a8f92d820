package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type searchOut struct {
	Mentors []struct {
		ID             int64
		Name           string
		FromPriceMinor *int64 `json:"from_price_minor"`
		Currency       string
		NextAvailable  *time.Time `json:"next_available"`
	}
	NextCursor string `json:"next_cursor"`
}

func (e *env) search(query string) searchOut {
	e.t.Helper()
	var out searchOut
	want(e.t, e.call("GET", "/api/v1/mentors?"+query, "", nil), http.StatusOK).decode(e.t, &out)
	return out
}

func (e *env) searchIDs(query string) []int64 {
	e.t.Helper()
	ids := []int64{}
	for _, m := range e.search(query).Mentors {
		ids = append(ids, m.ID)
	}
	return ids
}

// allPages follows the cursor with one mentor per page.
func (e *env) allPages(query string) []int64 {
	e.t.Helper()
	ids := []int64{}
	cursor := ""
	for range 50 {
		out := e.search(query + "&limit=1&cursor=" + url.QueryEscape(cursor))
		for _, m := range out.Mentors {
			ids = append(ids, m.ID)
		}
		if cursor = out.NextCursor; cursor == "" {
			return ids
		}
	}
	e.t.Fatalf("%s: the cursor never ends", query)
	return nil
}

// profile replaces a mentor's profile.
func (e *env) profile(u user, headline, bio string, skills ...string) {
	e.t.Helper()
	want(e.t, e.call("PUT", "/api/v1/me/mentor", u.Token, map[string]any{
		"headline": headline, "bio": bio, "skills": skills, "active": true,
	}), http.StatusOK)
}

// closeFreeConsultation makes the mentor's default service inactive.
func (e *env) closeFreeConsultation(u user) {
	e.t.Helper()
	free := e.services("/api/v1/me/services", u.Token)[0]
	want(e.t, e.call("PATCH", fmt.Sprintf("/api/v1/me/services/%d", free.ID), u.Token, map[string]any{"active": false}), http.StatusOK)
}

func TestMentorSearchByWordsAndSkills(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a := e.mentor("UTC", nil) // User 1
		b := e.mentor("UTC", nil) // User 2
		c := e.mentor("UTC", nil) // User 3
		d := e.mentor("UTC", nil) // User 4
		e.signup("UTC")           // not a mentor
		e.profile(a, "Staff engineer: Go and PostgreSQL", "Twenty years of SQL.", "go", "postgresql")
		e.profile(b, "Designer", "I also write some Go at 100% coverage.", "design", "figma")
		e.profile(c, "ÉCOLE de Go", "snake_case fan", "go", "rust")
		e.profile(d, "Inactive mentor", "Go", "go")
		want(t, e.call("PUT", "/api/v1/me/mentor", d.Token, map[string]any{"headline": "Inactive mentor", "active": false}), http.StatusOK)

		for query, wantIDs := range map[string][]int64{
			"":                            {a.ID, b.ID, c.ID},
			"q=go":                        {a.ID, c.ID, b.ID}, // in the headline or skills first, then the bio
			"q=GO+sql":                    {a.ID},
			"q=go+figma":                  {b.ID},
			"q=go+cobol":                  {},
			"q=user+3":                    {c.ID}, // "user" is in every name, "3" only in User 3's
			"q=école":                     {c.ID},
			"q=%C3%89COLE":                {c.ID},
			"q=100%25":                    {b.ID},
			"q=0%25+coverage":             {b.ID},
			"q=%25":                       {b.ID},
			"q=go%25sql":                  {},
			"q=snake_case":                {c.ID},
			"q=snake_cas_":                {},
			"q=_":                         {c.ID},
			"skill=go":                    {a.ID, c.ID},
			"skill=go&skill=rust":         {c.ID},
			"skill=GO&skill=figma":        {},
			"skill=go&q=twenty":           {a.ID},
			"skill=+Go+&skill=go":         {a.ID, c.ID},
			"q=inactive":                  {},
			"sort=relevance&q=postgresql": {a.ID},
		} {
			if got := e.searchIDs(query); !slices.Equal(got, wantIDs) {
				t.Errorf("%s: %v, want %v", query, got, wantIDs)
			}
		}
		// Cursors walk the same order a page at a time.
		for _, query := range []string{"q=go", "q=user+3", "sort=price", "sort=next_available", "skill=go"} {
			if all, paged := e.searchIDs(query), e.allPages(query); !slices.Equal(all, paged) {
				t.Errorf("%s: pages %v, all at once %v", query, paged, all)
			}
		}
		for _, query := range []string{"q=a%00", "q=%FF", "skill=%FF", "skill=a%00b", "sort=name", "limit=0", "limit=101",
			"cursor=x", "sort=price&cursor=" + e.search("q=go&limit=1").NextCursor,
			"q=a+b+c+d+e+f+g+h+i+j+k"} {
			p := want(t, e.call("GET", "/api/v1/mentors?"+query, "", nil), http.StatusUnprocessableEntity).problem(t)
			if len(p.Fields) == 0 {
				t.Errorf("%s: no field named", query)
			}
		}
	})
}

func TestMentorSearchByPrice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		free := e.mentor("UTC", nil)   // free consultation only
		cheap := e.mentor("UTC", nil)  // free consultation and a 5000 program
		costly := e.mentor("UTC", nil) // no free consultation, a 25000 program
		none := e.mentor("UTC", nil)   // no active service at all
		body := paidProgram()
		body["price_minor"] = 5000
		e.mustService(cheap, body)
		e.mustService(costly, paidProgram())
		e.closeFreeConsultation(costly)
		e.closeFreeConsultation(none)
		archived := e.mustService(none, map[string]any{"title": "Old", "price_minor": 100, "format": "async", "days": 7})
		want(t, e.call("DELETE", fmt.Sprintf("/api/v1/me/services/%d", archived.ID), none.Token, nil), http.StatusNoContent)

		for query, wantIDs := range map[string][]int64{
			"max_price_minor=0":                {free.ID, cheap.ID},
			"max_price_minor=4999":             {free.ID, cheap.ID},
			"max_price_minor=24999":            {free.ID, cheap.ID},
			"max_price_minor=25000":            {free.ID, cheap.ID, costly.ID},
			"max_price_minor=99":               {free.ID, cheap.ID},
			"sort=price":                       {free.ID, cheap.ID, costly.ID, none.ID},
			"sort=price&max_price_minor=25000": {free.ID, cheap.ID, costly.ID},
		} {
			if got := e.searchIDs(query); !slices.Equal(got, wantIDs) {
				t.Errorf("%s: %v, want %v", query, got, wantIDs)
			}
		}
		prices := map[int64]*int64{}
		for _, m := range e.search("sort=price").Mentors {
			prices[m.ID] = m.FromPriceMinor
			if m.Currency != "USD" {
				t.Errorf("currency %q", m.Currency)
			}
		}
		for id, want := range map[int64]int64{free.ID: 0, cheap.ID: 0, costly.ID: 25000} {
			if got := prices[id]; got == nil || *got != want {
				t.Errorf("from_price_minor of %d = %v, want %d", id, got, want)
			}
		}
		if prices[none.ID] != nil {
			t.Errorf("from_price_minor without a service = %d, want null", *prices[none.ID])
		}
		for _, q := range []string{"max_price_minor=-1", "max_price_minor=1.5", "max_price_minor=1e3", "max_price_minor=abc",
			"max_price_minor=1000000000001", "max_price_minor=+5"} {
			want(t, e.call("GET", "/api/v1/mentors?"+q, "", nil), http.StatusUnprocessableEntity).problem(t)
		}
	})
}
