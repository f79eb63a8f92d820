package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// send posts body with contentType as a same-origin browser would.
func (b *browser) send(path, contentType string, body []byte) page {
	b.e.t.Helper()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

// multipartForm encodes fields, and a file part when file is not nil, as
// multipart/form-data.
func multipartForm(t *testing.T, fields url.Values, file []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("upload", "big.bin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// No page uploads files, so a multipart body (which net/http spools to
// temporary files past 32 MiB) is refused before anything reads it, and a
// form body over 1 MiB is refused too: no post can fill the disk.
func TestFormBodiesAreCappedAndNeverSpooledToDisk(t *testing.T) {
	tmp := t.TempDir()
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	t.Setenv("TMPDIR", tmp) // where multipart parsing would put its files
	anon := e.anonymous()
	login := url.Values{"email": {"maria@example.com"}, "password": {"correct horse battery"}}
	big := bytes.Repeat([]byte("x"), 33<<20)
	for _, tc := range []struct {
		name   string
		b      *browser
		path   string
		fields url.Values
		file   []byte
	}{
		{"login with a large file", anon, "/login", login, big},
		{"login with fields only", anon, "/login", login, nil},
		{"profile with a large file", mentor, "/me/profile", url.Values{"headline": {"Changed"}}, big},
		{"profile with fields only", mentor, "/me/profile", url.Values{"headline": {"Changed"}}, nil},
	} {
		ct, body := multipartForm(t, tc.fields, tc.file)
		p := tc.b.send(tc.path, ct, body)
		if got, want := p.Status, http.StatusUnsupportedMediaType; got != want {
			t.Errorf("%s: status %d, want %d", tc.name, got, want)
			continue
		}
		wantContains(t, p, "File uploads are not accepted")
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
		t.Errorf("the temporary directory holds %v (err %v), want nothing", entries, err)
	}
	u, err := e.svc.Accounts.Me(context.Background(), mentor.user)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Mentor.Headline, "Maria helps with Go"; got != want {
		t.Errorf("headline %q after refused posts, want %q", got, want)
	}

	// A url-encoded form is read up to 1 MiB and refused past it.
	pad := func(n int) url.Values {
		v := url.Values{"email": login["email"], "password": login["password"], "pad": {""}}
		v.Set("pad", strings.Repeat("x", n-len(v.Encode())))
		return v
	}
	p := wantStatus(t, anon.post("/login", pad(1<<20+1)), http.StatusRequestEntityTooLarge)
	wantContains(t, p, "at most 1 MiB")
	wantRedirect(t, anon.post("/login", pad(1<<20)), "/")
}
