package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// sessionCookie holds the session token; the database keeps only its hash,
// so every instance behind a load balancer shares the sessions.
const sessionCookie = app.SessionCookie

// sessionMaxAge matches the session lifetime app gives tokens (30 days).
const sessionMaxAge = 30 * 24 * 60 * 60

type viewerKey struct{}

// viewer is who is asking: the signed-in user, or nobody.
type viewer struct {
	user  *mentorbook.User
	token string
	// ended is set when the request carried a session that has ended.
	ended bool
}

// withViewer resolves the session cookie once per request. An unknown or
// expired session is treated as anonymous and its cookie dropped.
func (s *server) withViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &viewer{}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.app.Accounts.Authenticate(r.Context(), c.Value)
			switch mentorbook.ErrorCode(err) {
			case "":
				v.user, v.token = &u, c.Value
			case mentorbook.EUNAUTHORIZED:
				v.ended = true
				clearSessionCookie(w, r)
			default:
				s.serverError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, v)))
	})
}

func viewerOf(r *http.Request) *viewer {
	if v, ok := r.Context().Value(viewerKey{}).(*viewer); ok {
		return v
	}
	return &viewer{}
}

// privateHandler is a page for a signed-in user.
type privateHandler func(w http.ResponseWriter, r *http.Request, me mentorbook.User)

// private sends anonymous visitors to the login page, coming back here after.
func (s *server) private(h privateHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := viewerOf(r)
		if v.user == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			why := "login"
			if v.ended {
				why = "session"
			}
			toLogin(w, r, why)
			return
		}
		h(w, r, *v.user)
	}
}

// toLogin answers a form sent without a session: what was typed (never a
// password or token) waits in a cookie while the visitor logs in or signs
// up, and comes back on the page the form was on, named by the Referer
// (pages send it to their own site: Referrer-Policy same-origin).
func toLogin(w http.ResponseWriter, r *http.Request, why string) {
	next := localPath(r.Referer())
	u, _ := url.Parse(next) // localPath returns a path that parses
	carry(w, r, draftCookie, formState{Path: u.Path, Action: r.URL.Path, Values: typed(r), Why: why})
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next)+"&why="+why, http.StatusSeeOther)
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: sessionMaxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r),
	})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r),
	})
}

// localPath returns s when it is a path on this site ("/bookings?x=1"),
// else "/". It keeps login's next parameter from sending people elsewhere.
func localPath(s string) string {
	if strings.ContainsAny(s, "\\\r\n") {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "/"
	}
	if u.IsAbs() || u.Host != "" {
		// A full URL (a Referer): keep only its path, which is ours to serve.
		u = &url.URL{Path: u.Path, RawQuery: u.RawQuery}
	}
	p := u.RequestURI()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	return p
}
