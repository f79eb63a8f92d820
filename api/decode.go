package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// decode reads r's JSON body into dst strictly: unknown fields, wrong types,
// trailing data and oversized bodies are refused, with the answer already
// written; it reports whether to go on. An empty body leaves dst as it is
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
