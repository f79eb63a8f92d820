package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCarriedFormsKeepNoPasswordsOrTokens(t *testing.T) {
	form := url.Values{"message": {"hi"}, "password": {"p"}, "current_password": {"p"}, "new_password": {"p"},
		"csrf_token": {"c"}, "request_key": {"k"}, "headline": {"h"}}
	r := httptest.NewRequest("POST", "/me/profile", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	got := typed(r)
	want := url.Values{"message": {"hi"}, "headline": {"h"}}
	if got.Encode() != want.Encode() {
		t.Fatalf("carried %v, want %v", got, want)
	}

	// A round trip through the cookie's encoding; a form too large for a
	// cookie keeps its problems and drops what was typed.
	st := formState{Path: "/x", Values: want, Errors: map[string]string{"a": "b"}}
	w := httptest.NewRecorder()
	carry(w, r, refusedCookie, st)
	c := w.Result().Cookies()[0]
	back, ok := decodeForm(c.Value)
	if !ok || back.Values.Encode() != want.Encode() || back.Errors["a"] != "b" || back.Path != "/x" {
		t.Fatalf("decoded %+v", back)
	}
	huge := url.Values{}
	for i := range 400 {
		huge.Set(strings.Repeat("k", i%50)+string(rune('a'+i%26))+url.QueryEscape(string(rune(0x4e00+i*7))), strings.Repeat(string(rune(0x4e00+i)), 20))
	}
	st.Values = huge
	w = httptest.NewRecorder()
	carry(w, r, refusedCookie, st)
	c = w.Result().Cookies()[0]
	if len(c.Value) > maxCarried {
		t.Fatalf("cookie of %d bytes", len(c.Value))
	}
	if back, ok := decodeForm(c.Value); !ok || back.Values != nil || back.Errors["a"] != "b" {
		t.Fatalf("too large a form: decoded %+v", back)
	}
}
