package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// decode reads r's JSON body into dst strictly: a body that is not one JSON
// object, unknown fields, wrong types, trailing data, oversized bodies and
// text that is not UTF-8 are refused, with the answer already written; it
// reports whether to go on. An empty body leaves dst as it is
// when emptyOK, for POSTs whose body is optional.
func decode(w http.ResponseWriter, r *http.Request, dst any, emptyOK bool) bool {
	body := http.MaxBytesReader(w, r.Body, maxBody)
	data, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeProblem(w, problem{Type: "urn:mentorbook:problem:too_large", Title: "Request Entity Too Large",
			Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("The body must be at most %d bytes.", maxBody)})
		return false
	}
	if err != nil {
		badRequest(w, "The body could not be read.")
		return false
	}
	if len(data) == 0 {
		if emptyOK {
			return true
		}
		badRequest(w, "A JSON body is required.")
		return false
	}
	// encoding/json would keep invalid text as U+FFFD, and take null for an
	// empty object (a PUT of null would reset everything): check the bytes.
	if at, what := badText(data); at >= 0 {
		writeProblem(w, problem{Type: "urn:mentorbook:problem:" + mentorbook.EINVALID, Title: "Unprocessable Entity",
			Status: http.StatusUnprocessableEntity, Detail: fmt.Sprintf("The body holds %s (at byte %d); text must be UTF-8.", what, at)})
		return false
	}
	if v := bytes.TrimLeft(data, " \t\r\n"); len(v) > 0 && v[0] != '{' {
		badRequest(w, "The body must be a JSON object.")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		badRequest(w, describeJSONError(err))
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		badRequest(w, "The body must hold a single JSON object.")
		return false
	}
	return true
}

// badText returns the offset of the first text in a JSON body that
// encoding/json would silently turn into U+FFFD, and what it is: bytes that
// are not UTF-8, or a \u escape of a lone UTF-16 surrogate. It returns -1
// when there is none.
func badText(data []byte) (int, string) {
	if !utf8.Valid(data) {
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				return i, "bytes that are not UTF-8"
			}
			i += n
		}
	}
	// A backslash is valid JSON only inside a string, where each starts an
	// escape of two bytes or of six (\uXXXX): skipping escapes whole finds
	// every \u escape without tracking where strings begin and end.
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		c, ok := uEscape(data, i)
		switch {
		case !ok:
			i++ // a two-byte escape, or a syntax error the decoder reports
		case utf16.IsSurrogate(c):
			low, ok := uEscape(data, i+6)
			if !ok || utf16.DecodeRune(c, low) == unicode.ReplacementChar {
				return i, "a \\u escape of a lone surrogate"
			}
			i += 11
		default:
			i += 5
		}
	}
	return -1, ""
}

// uEscape decodes the \uXXXX escape at data[i:], if there is one.
func uEscape(data []byte, i int) (rune, bool) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, false
	}
	var c rune
	for _, b := range data[i+2 : i+6] {
		switch {
		case '0' <= b && b <= '9':
			c = c<<4 | rune(b-'0')
		case 'a' <= b && b <= 'f':
			c = c<<4 | rune(b-'a'+10)
		case 'A' <= b && b <= 'F':
			c = c<<4 | rune(b-'A'+10)
		default:
			return 0, false
		}
	}
	return c, true
}

func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("Field %q must be of JSON type %s.", typ.Field, jsonKind(typ.Type.Kind().String()))
		}
		return "The body must be a JSON object."
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The body is not valid JSON (it ends too early)."
	}
	// Unknown fields come back as `json: unknown field "x"`.
	return "The body is not valid: " + err.Error() + "."
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "int", "int64", "int32", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	}
	return "object"
}
