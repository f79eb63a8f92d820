// Package mentorbook holds Mentorbook's domain types, error kinds and the
// storage contract. Subpackages implement it (sqlite, postgres), apply the
// use cases (app) and serve it (api, web).
package mentorbook

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The HTTP layers map each to a status in one place.
const (
	EINVALID      = "invalid"      // failed validation (422)
	EUNAUTHORIZED = "unauthorized" // no or bad credentials (401)
	EFORBIDDEN    = "forbidden"    // signed in but not allowed (403)
	ENOTFOUND     = "not_found"    // missing, or not visible to the caller (404)
	ECONFLICT     = "conflict"     // state or uniqueness conflict (409)
	ETOOMANY      = "too_many"     // throttled (429)
	EUNAVAILABLE  = "unavailable"  // the database does not answer or cannot be written (503)
	EINTERNAL     = "internal"     // anything else (500)
)

// Error is an application error with a code, a message safe to show a user,
// and for validation errors the offending fields (field name → problem).
type Error struct {
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration // with ETOOMANY and EUNAVAILABLE
}

func (e *Error) Error() string {
	return fmt.Sprintf("mentorbook: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for other non-nil
// errors, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal details
// never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Validation collects field errors; Err returns nil when there are none.
type Validation map[string]string

// Add records a problem with field unless one is already recorded.
func (v Validation) Add(field, problem string) {
	if _, ok := v[field]; !ok {
		v[field] = problem
	}
}

// Err returns an EINVALID *Error listing the fields, or nil.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields are invalid.", Fields: map[string]string(v)}
}
