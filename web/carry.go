package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// formState is a form as it was sent, carried through one redirect to the
// page that shows it again. It is how a refused form comes back after
// post/redirect/get, and how a form sent without a session (it ended, or
// the visitor never logged in) comes back after login.
type formState struct {
	Path    string            `json:"p"`           // the page (URL path) that shows the form
	Action  string            `json:"a,omitempty"` // the path the form was posted to
	Values  url.Values        `json:"v,omitempty"` // what was typed, without secrets
	Errors  map[string]string `json:"e,omitempty"` // field problems, as the use case named them
	Message string            `json:"m,omitempty"` // the form's one-line problem
	Alert   string            `json:"l,omitempty"` // a problem shown at the top of the page
	Taken   bool              `json:"t,omitempty"` // a booking request lost its slot
	// Why is set on a form that was sent without a session: "session" (it
	// ended) or "login" (a visitor who must log in first).
	Why string `json:"w,omitempty"`
}

// The two cookies that carry forms. A refused form is shown once by the
// next visit to its page; a draft waits, for at most draftMaxAge, through
// the login or signup pages until its page is shown again.
const (
	refusedCookie = "mentorbook_form"
	draftCookie   = "mentorbook_draft"
	draftMaxAge   = 60 * 60
	// maxCarried keeps the cookie under the 4096 bytes browsers accept.
	maxCarried = 3800
)

// secretField reports whether a form field must never be carried: passwords
// and tokens (the idempotency key of a request form among them) stay in the
// request that sent them.
func secretField(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "password") || strings.Contains(n, "csrf") ||
		strings.Contains(n, "token") || strings.HasSuffix(n, "_key")
}

// typed is the posted form without its secret fields.
func typed(r *http.Request) url.Values {
	v := url.Values{}
	for k, vs := range r.PostForm {
		if !secretField(k) {
			v[k] = vs
		}
	}
	return v
}

func encodeForm(st formState) (string, bool) {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid
	if err := json.NewEncoder(zw).Encode(st); err != nil {
		return "", false
	}
	if err := zw.Close(); err != nil {
		return "", false
	}
	s := base64.RawURLEncoding.EncodeToString(buf.Bytes())
	return s, len(s) <= maxCarried
}

func decodeForm(s string) (formState, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return formState{}, false
	}
	var st formState
	zr := flate.NewReader(bytes.NewReader(raw))
	defer zr.Close()
	if err := json.NewDecoder(io.LimitReader(zr, 64<<10)).Decode(&st); err != nil {
		return formState{}, false
	}
	return st, true
}

// carry stores st in the named cookie. A form too large for a cookie loses
// what was typed but keeps its problems.
func carry(w http.ResponseWriter, r *http.Request, name string, st formState) {
	value, ok := encodeForm(st)
	if !ok {
		st.Values = nil
		if value, ok = encodeForm(st); !ok {
			return
		}
	}
	maxAge := 5 * 60
	if name == draftCookie {
		maxAge = draftMaxAge
	}
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r),
	})
}

func dropCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r),
	})
}

// refuse answers a refused form with post/redirect/get: the form, its
// problems and what was typed go to page (a local path) through a cookie,
// so reloading shows the page again instead of sending the form again, and
// the address can be copied.
func refuse(w http.ResponseWriter, r *http.Request, page string, st formState) {
	u, err := url.Parse(page)
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	st.Path, st.Action = u.Path, r.URL.Path
	if st.Values == nil {
		st.Values = typed(r)
	}
	carry(w, r, refusedCookie, st)
	http.Redirect(w, r, page, http.StatusSeeOther)
}

type formKey struct{}

// carriedForms reads the carried forms of a request into its context, where
// formFor finds them.
func carriedForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var forms []*carried
		for _, name := range []string{refusedCookie, draftCookie} {
			if c, err := r.Cookie(name); err == nil {
				if st, ok := decodeForm(c.Value); ok {
					forms = append(forms, &carried{name: name, st: st})
				} else {
					dropCookie(w, r, name)
				}
			}
		}
		if forms != nil {
			r = r.WithContext(context.WithValue(r.Context(), formKey{}, forms))
		}
		next.ServeHTTP(w, r)
	})
}

type carried struct {
	name string
	st   formState
}

// formFor returns the form carried to the page being shown, if any, and
// drops it so a reload shows the page as it is. A refused form wins over a
// draft waiting for the same page.
func formFor(w http.ResponseWriter, r *http.Request) (formState, bool) {
	if r.Method != http.MethodGet {
		return formState{}, false
	}
	forms, _ := r.Context().Value(formKey{}).([]*carried)
	var found *formState
	for _, c := range forms {
		if c.st.Path != r.URL.Path {
			continue
		}
		dropCookie(w, r, c.name)
		if found == nil {
			st := c.st
			found = &st
		}
	}
	if found == nil {
		return formState{}, false
	}
	return *found, true
}

// whyAlert is the line a form brought back after login shows.
func (st formState) whyAlert() string {
	switch st.Why {
	case "session":
		return "Your session ended before this form was sent, so nothing was saved. What you typed is below: check it and send it again."
	case "login":
		return "You are signed in. Your choice is below: check it and send it."
	}
	return st.Alert
}
