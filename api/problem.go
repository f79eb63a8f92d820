package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/mentorbook/mentorbook"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Fields map[string]string `json:"fields,omitempty"`
}

// statusOf maps error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	mentorbook.EINVALID:      http.StatusUnprocessableEntity,
	mentorbook.EUNAUTHORIZED: http.StatusUnauthorized,
	mentorbook.EFORBIDDEN:    http.StatusForbidden,
	mentorbook.ENOTFOUND:     http.StatusNotFound,
	mentorbook.ECONFLICT:     http.StatusConflict,
	mentorbook.ETOOMANY:      http.StatusTooManyRequests,
	mentorbook.EUNAVAILABLE:  http.StatusServiceUnavailable,
	mentorbook.EINTERNAL:     http.StatusInternalServerError,
}

// writeError answers with err as problem+json. Internal errors are logged
// and their details kept from the client.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := mentorbook.ErrorCode(err)
	status := statusOf[code]
	if code == mentorbook.EINTERNAL || code == mentorbook.EUNAVAILABLE {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var e *mentorbook.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	p := problem{Type: "urn:mentorbook:problem:" + code, Title: http.StatusText(status), Status: status,
		Detail: mentorbook.ErrorMessage(err)}
	if e != nil {
		p.Fields = e.Fields
	}
	writeProblem(w, p)
}

// badRequest answers 400 for a body or query that cannot be read at all.
func badRequest(w http.ResponseWriter, detail string) {
	writeProblem(w, problem{Type: "urn:mentorbook:problem:bad_request", Title: "Bad Request",
		Status: http.StatusBadRequest, Detail: detail})
}

func writeProblem(w http.ResponseWriter, p problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// logError records the err of a request without answering.
func logError(log *slog.Logger, r *http.Request, err error) {
	log.Error("request", "method", r.Method, "path", r.URL.Path, "err", err)
}
