package app

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

// An ID cursor is a position in a list ordered by ID: the last ID shown,
// opaque to clients.
func encodeIDCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// decodeIDCursor reads a typed cursor ("" is 0, the start) into v's field
// "cursor".
func decodeIDCursor(s string, v mentorbook.Validation) int64 {
	if s == "" {
		return 0
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var id int64
	if err == nil {
		id, err = strconv.ParseInt(string(b), 10, 64)
	}
	if err != nil || id < 0 {
		v.Add("cursor", "is not a cursor this server gave out")
	}
	return id
}

// maxQueryWords bounds a text search: each word is one more condition.
const maxQueryWords = 10

// queryWords splits a typed text search into its words, lower-cased;
// every word must match. Text with NUL or invalid UTF-8 is refused on
// field.
func queryWords(field, q string, v mentorbook.Validation) []string {
	checkText(v, field, q)
	words := strings.Fields(strings.ToLower(q))
	if len(words) > maxQueryWords {
		v.Add(field, "must be at most 10 words")
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > 100 {
			v.Add(field, "words must be at most 100 characters")
		}
	}
	return words
}

// normalizeSkill is a typed skill filter as skills are stored.
func normalizeSkill(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// beforeIDCursor reads the plain-ID cursor of a list ordered by ID (the
// last ID shown; "" is the start) into v's field "cursor".
func beforeIDCursor(s string, v mentorbook.Validation) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add("cursor", "is not a cursor this server gave out")
	}
	return id
}

// idPage cuts a list read with one row more than limit to its page, and
// returns the next page's cursor: the last ID shown, or "" at the end.
func idPage[T any](items []T, limit int, id func(T) int64) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, strconv.FormatInt(id(items[limit-1]), 10)
}
