// Package web serves Mentorbook's HTML pages: server-rendered with
// html/template, with templates and static files embedded in the binary.
// Page handlers get data and changes only through the use cases of package
// app, where scheduling and permission decisions live; from what those
// return they build the pages' view models (the month calendar, the
// bookings inbox), with zones from schedule.LoadZone and the domain types'
// own rules (mentorbook.Booking's Cancellable and Answerable).
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/mentorbook/mentorbook/app"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

type server struct {
	app   *app.App
	log   *slog.Logger
	pages pages
}

// Options configure the web handler.
type Options struct {
	// SecureCookies marks cookies Secure even on plain-HTTP requests: set it
	// behind a proxy that terminates TLS. Requests over TLS always get them.
	SecureCookies bool
}

// New returns the web handler. It owns every path except /api/ and /healthz.
func New(svc *app.App, log *slog.Logger, opts Options) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	s := &server{app: svc, log: log, pages: mustParsePages()}
	mux := http.NewServeMux()
	s.routes(mux)

	// Cross-site state-changing requests (judged by Sec-Fetch-Site, or
	// Origin against Host) are refused before they reach a handler.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))

	pages := csrf.Handler(s.readForms(oneTimeFlash(carriedForms(s.withViewer(mux)))))

	// Static files are the same for everyone: they are served before the
	// session lookup, so they never wait for the database or fail with it.
	root := http.NewServeMux()
	root.Handle("GET /static/", http.StripPrefix("/static/", staticFiles()))
	root.Handle("/", pages)

	h := securityHeaders(s.recoverer(root))
	if opts.SecureCookies {
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), secureKey{}, true)))
		})
	}
	return h
}

type secureKey struct{}

// secure reports whether cookies set for r must be Secure: it came over TLS,
// or the site is configured as served over TLS by a proxy.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Context().Value(secureKey{}) != nil
}

func staticFiles() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
