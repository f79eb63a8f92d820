package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// passwordHasher hashes with argon2id. Hashing costs memory and CPU by
// design, so at most GOMAXPROCS hashes run at once: a burst of logins queues
// instead of exhausting memory.
type passwordHasher struct {
	time, memory uint32 // iterations, KiB
	threads      uint8
	sem          chan struct{}
}

func newPasswordHasher(cheap bool) *passwordHasher {
	h := &passwordHasher{time: 2, memory: 32 * 1024, threads: 1}
	if cheap {
		h.time, h.memory = 1, 64
	}
	h.sem = make(chan struct{}, runtime.GOMAXPROCS(0))
	return h
}

// Hash returns a PHC-formatted argon2id hash; the parameters travel with it
// so they can change later without breaking old hashes.
func (h *passwordHasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h.sem <- struct{}{}
	key := argon2.IDKey([]byte(password), salt, h.time, h.memory, h.threads, 32)
	<-h.sem
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.memory, h.time, h.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches encoded.
func (h *passwordHasher) Verify(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, iterations uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &iterations, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false
	}
	h.sem <- struct{}{}
	got := argon2.IDKey([]byte(password), salt, iterations, memory, threads, uint32(len(want)))
	<-h.sem
	return subtle.ConstantTimeCompare(got, want) == 1
}
