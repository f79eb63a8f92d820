package sqlstore_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every bound LIMIT goes through limitClause: a bare "LIMIT $n" (or one
// built as "LIMIT " + placeholder) makes SQLite prepare the statement anew
// on every execution (see limitClause).
func TestNoBareBoundLimit(t *testing.T) {
	bare := regexp.MustCompile("(?i)LIMIT\\s*(\\$|`\\s*\\+|\\+)")
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range bare.FindAllIndex(src, -1) {
			t.Errorf("%s: %q: use limitClause", f, src[m[0]:min(len(src), m[1]+12)])
		}
	}
}
