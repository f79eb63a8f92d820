package app

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/mentorbook/mentorbook"
)

// commonPasswordsText is the list of the most common passwords that pass
// the length check, lower-cased, one a line; its header says where it is
// from and under which license.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is that list as a set, read on first use.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
})

// checkPassword records a problem with a password being set that the length
// check lets through: nothing but spaces, or one of the most common
// passwords, which guessing tries first (NIST SP 800-63B asks to refuse
// them). The list is compared without case, as guessers vary it.
func checkPassword(v mentorbook.Validation, field, password string) {
	switch {
	case strings.TrimSpace(password) == "":
		v.Add(field, "must not be only spaces")
	case commonPasswords()[strings.ToLower(password)]:
		v.Add(field, "is one of the most common passwords; choose another")
	}
}
