package app

import (
	"slices"
	"sync"
	"time"

	"github.com/mentorbook/mentorbook"
)

// The session cache keeps the user a session token found, so that an
// authenticated request costs no query. An entry is used only while
//
//   - it is younger than sessionsReuse: a change on another instance whose
//     notification was lost (or, on SQLite, another process's write: the
//     CLI's admin grant) shows within that bound;
//   - the session has not expired by the clock, checked on every use;
//   - no write since dropped it: a write on this instance drops the
//     sessions of the users it changed once it committed (cacheStore),
//     before its caller answers; another instance's write arrives as a
//     notification (PostgreSQL, migration 0018).
const (
	// sessionsReuse bounds how long a session found is used without
	// reading it again.
	sessionsReuse = time.Second
	// maxCachedSessions bounds memory: sessions used within one second.
	maxCachedSessions = 10000
)

type sessionCache struct {
	mu sync.Mutex
	// entries by token hash.
	entries map[string]sessionEntry
	// gen rises with every drop: a read that began before a drop may
	// have found what the drop removes, and is not stored.
	gen uint64
	// disabled reads every session from the database (tests compare).
	disabled bool
}

// sessionEntry is what Users.SessionUser returned at read. user is shared
// by every request that uses it: read-only.
type sessionEntry struct {
	user    mentorbook.User
	expires time.Time // the session's ExpiresAt
	read    time.Time
}

func newSessionCache() *sessionCache { return &sessionCache{entries: map[string]sessionEntry{}} }

// usable says whether e may answer at now. A clock set back (tests do)
// is not "later".
func (e sessionEntry) usable(now time.Time) bool {
	age := now.Sub(e.read)
	return age >= 0 && age < sessionsReuse && now.Before(e.expires)
}

// get returns the user of the session with tokenHash, if kept and usable;
// otherwise the generation a read that follows must pass to put.
func (c *sessionCache) get(tokenHash []byte, now time.Time) (u mentorbook.User, gen uint64, ok bool) {
	if c.disabled {
		return u, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, found := c.entries[string(tokenHash)]; found && e.usable(now) {
		return e.user, 0, true
	}
	return u, c.gen, false
}

// put keeps e under tokenHash unless a drop came after get gave gen.
func (c *sessionCache) put(tokenHash []byte, e sessionEntry, gen uint64) {
	if c.disabled {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= maxCachedSessions {
		for k, old := range c.entries {
			if !old.usable(e.read) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCachedSessions {
			clear(c.entries)
		}
	}
	c.entries[string(tokenHash)] = e
}

// drop forgets the sessions of the users and those with the token hashes.
func (c *sessionCache) drop(userIDs []int64, tokenHashes [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, h := range tokenHashes {
		delete(c.entries, string(h))
	}
	if len(userIDs) == 0 {
		return
	}
	for k, e := range c.entries {
		if slices.Contains(userIDs, e.user.ID) {
			delete(c.entries, k)
		}
	}
}

// invalidate forgets the sessions of the users; nil forgets every session.
func (c *sessionCache) invalidate(userIDs []int64) {
	if userIDs != nil {
		c.drop(userIDs, nil)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
