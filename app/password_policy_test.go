package app

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

func TestCheckPasswordRefusesBlankAndCommonPasswords(t *testing.T) {
	for _, tc := range []struct {
		password, problem string
	}{
		{"correct horse battery", ""},
		{"plum-cat-9", ""},
		{"1234567890x", ""},
		{"          ", "must not be only spaces"},
		{" \t\n\u00a0\u3000     ", "must not be only spaces"},
		{"1234567890", "is one of the most common passwords; choose another"},
		{"qwertyuiop", "is one of the most common passwords; choose another"},
		{"PassWord123", "is one of the most common passwords; choose another"},
		{"ILOVEYOU123", "is one of the most common passwords; choose another"},
	} {
		v := mentorbook.Validation{}
		checkPassword(v, "password", tc.password)
		if got, want := v["password"], tc.problem; got != want {
			t.Errorf("checkPassword(%q) = %q, want %q", tc.password, got, want)
		}
	}
}

// The list holds only what the length check lets through, in the form the
// check compares: lower-case, sorted and without repeats.
func TestCommonPasswordsListIsNormalised(t *testing.T) {
	var entries []string
	for _, line := range strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n") {
		if !strings.HasPrefix(line, "#") {
			entries = append(entries, line)
		}
	}
	if got, want := len(entries), 2312; got != want {
		t.Errorf("%d entries, want %d", got, want)
	}
	if got, want := len(commonPasswords()), len(entries); got != want {
		t.Errorf("the set has %d entries, the file %d", got, want)
	}
	for _, e := range entries {
		if n := utf8.RuneCountInString(e); n < minPasswordLength || n > maxPasswordLength {
			t.Errorf("entry %q has %d characters, which signup refuses anyway", e, n)
		}
		if e != strings.ToLower(e) || strings.TrimSpace(e) != e {
			t.Errorf("entry %q is not lower-case and trimmed", e)
		}
	}
	if !slices.IsSorted(entries) || len(slices.Compact(slices.Clone(entries))) != len(entries) {
		t.Errorf("the entries are not sorted and unique")
	}
}
