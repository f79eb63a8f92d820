package web

import (
	"errors"
	"net/http"
	"strings"
)

// maxFormBody is the largest request body a page accepts, as for the API's
// JSON: the biggest form (weekly hours) is a few kilobytes.
const maxFormBody = 1 << 20

// readForms caps every request body at maxFormBody, refuses multipart
// bodies and parses a posted form here, on the request the server holds.
//
// No page uploads files, and net/http spools large multipart files to
// temporary files that it removes only when they were parsed on that very
// request: parsed on a copy (as r.WithContext makes below this), they
// would stay on disk. Refusing multipart before anything reads it, and
// filling r.PostForm first so handlers never parse again, means no form
// is ever written to disk.
func (s *server) readForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isMultipart(r.Header.Get("Content-Type")) {
			s.errorPage(w, r, http.StatusUnsupportedMediaType, "Form not accepted",
				"File uploads are not accepted: send the form as ordinary fields (application/x-www-form-urlencoded).")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			if err := r.ParseForm(); err != nil {
				s.formError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isMultipart(contentType string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "multipart/")
}

// formError answers a form body that could not be read.
func (s *server) formError(w http.ResponseWriter, r *http.Request, err error) {
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Form too large",
			"The form is too large: it may be at most 1 MiB.")
		return
	}
	s.errorPage(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
}
