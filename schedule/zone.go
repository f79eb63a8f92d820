package schedule

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// zoneinfoZip is the tz database zones load from, and the only one:
// time.LoadLocation prefers the host's zoneinfo (and $ZONEINFO) over any
// embedded copy, so two instances on differently updated hosts could turn
// the same wall time into different instants.
//
// It is $GOROOT/lib/time/zoneinfo.zip of go1.26.10 (tz 2025c; the IANA
// database is in the public domain). To refresh it, copy that file from a
// newer toolchain and update this comment:
//
//	cp "$(GOTOOLCHAIN=go1.N.M go env GOROOT)/lib/time/zoneinfo.zip" schedule/
//
//go:embed zoneinfo.zip
var zoneinfoZip []byte

// zoneFiles indexes the embedded archive by zone name, read once.
var zoneFiles = sync.OnceValue(func() map[string]*zip.File {
	r, err := zip.NewReader(bytes.NewReader(zoneinfoZip), int64(len(zoneinfoZip)))
	if err != nil {
		// A broken build, not bad input: no zone could ever load.
		panic(fmt.Sprintf("schedule: embedded zoneinfo.zip: %v", err))
	}
	files := make(map[string]*zip.File, len(r.File))
	for _, f := range r.File {
		files[f.Name] = f
	}
	return files
})

// ErrUnknownZone is what LoadZone returns for a name that is not a zone of
// the embedded tz database.
var ErrUnknownZone = errors.New("not an IANA time zone name")

// LoadZone returns the IANA zone called name ("Europe/Berlin"), from the tz
// database embedded in the binary and nothing else, so every instance
// agrees on the rules whatever its host has installed. "UTC" is time.UTC;
// "" and "Local", which would mean the server's own zone, are refused.
func LoadZone(name string) (*time.Location, error) {
	switch name {
	case "UTC":
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("%w: %q", ErrUnknownZone, name)
	}
	return zones.load(name)
}

// zones caches loaded locations by name: parsing the zone data on every
// call showed in profiles of the slots endpoint.
var zones = zoneCache{max: 1024}

// zoneCache holds at most max locations. Only names in the embedded
// database load (it has about 600), so no input can grow it past that
// anyway; the bound keeps it so whatever the archive holds.
type zoneCache struct {
	m   sync.Map // name → *time.Location
	n   atomic.Int64
	max int64
}

func (c *zoneCache) load(name string) (*time.Location, error) {
	if loc, ok := c.m.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := loadEmbedded(name)
	if err != nil {
		return nil, err
	}
	// Reserve a place before storing and give it back when the cache is
	// full or another caller stored the name first, so the count never
	// passes max and never counts a name twice.
	if c.n.Add(1) > c.max {
		c.n.Add(-1)
		return loc, nil
	}
	if prev, loaded := c.m.LoadOrStore(name, loc); loaded {
		c.n.Add(-1)
		return prev.(*time.Location), nil
	}
	return loc, nil
}

func loadEmbedded(name string) (*time.Location, error) {
	f, ok := zoneFiles()[name]
	if !ok || !zoneName(name) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownZone, name)
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("schedule: zone %q: %w", name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("schedule: zone %q: %w", name, err)
	}
	return time.LoadLocationFromTZData(name, data)
}

// zoneName reports whether name has the shape of an IANA zone name
// ("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"). The archive
// is looked up by exact name, so "America/./New_York" or
// "posix/Europe/Berlin" fail there already; this keeps the accepted names
// to the plain spellings other systems (browsers, PostgreSQL) know even if
// a future archive holds more.
func zoneName(name string) bool {
	parts := strings.Split(name, "/")
	if len(parts) > 3 || parts[0] == "posix" || parts[0] == "right" {
		return false
	}
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			return false
		}
		for _, r := range p {
			if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '+') {
				return false
			}
		}
	}
	return true
}
