package api

import "testing"

func TestBadTextFindsWhatJSONWouldReplace(t *testing.T) {
	for _, tc := range []struct {
		body string
		at   int
	}{
		{`{"a":"plain"}`, -1},
		{`{"a":"é 😀 \u00e9 \ud83d\ude00 \uD83D\uDE00"}`, -1},
		{`{"a":"\\ud800"}`, -1},     // an escaped backslash, then text
		{`{"a":"\\\\\\ud800"}`, -1}, // … however many
		{`{"a":"\\\"\ud800"}`, 10},  // after an escaped quote
		{`{"a":"\u12"}`, -1},        // a syntax error, for the decoder
		{`{"a":"\ud800"}`, 6},       // a lone high surrogate
		{`{"a":"\ud800\u0041"}`, 6}, // … followed by no low one
		{`{"a":"x\udfff"}`, 7},      // a lone low surrogate
		{`{"a":"\\\ud800"}`, 8},     // after an escaped backslash
		{`{"a":"\ud83d\ude00\udc00"}`, 18},
		{"{\"a\":\"\xff\"}", 6},
		{"{\"a\":\"é\xc3\"}", 8},
		{"{\"a\":\"\xed\xa0\x80\"}", 6}, // a surrogate encoded in UTF-8
	} {
		if got, _ := badText([]byte(tc.body)); got != tc.at {
			t.Errorf("badText(%q) = %d, want %d", tc.body, got, tc.at)
		}
	}
}
