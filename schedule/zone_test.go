package schedule

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// embeddedZone reads a zone straight from the embedded archive, without
// LoadZone's lookup and cache.
func embeddedZone(t *testing.T, name string) *time.Location {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(zoneinfoZip), int64(len(zoneinfoZip)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := r.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocationFromTZData(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// sameRules reports the first instant in [from, to) where a and b differ in
// offset or abbreviation, checking at every transition of either and at
// least every 30 days (ZoneBounds can report no progress at the end of a
// year past the last listed transition).
func sameRules(a, b *time.Location, from, to time.Time) (time.Time, bool) {
	for t := from; t.Before(to); {
		an, ao := t.In(a).Zone()
		bn, bo := t.In(b).Zone()
		if an != bn || ao != bo {
			return t, false
		}
		next := t.Add(30 * 24 * time.Hour)
		for _, loc := range []*time.Location{a, b} {
			if _, end := t.In(loc).ZoneBounds(); end.After(t) && end.Before(next) {
				next = end
			}
		}
		t = next
	}
	return time.Time{}, true
}

func TestLoadZoneReadsTheEmbeddedDatabase(t *testing.T) {
	from, to := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
		"America/Argentina/Buenos_Aires", "Etc/GMT+12", "Asia/Calcutta", "Pacific/Chatham"} {
		loc, err := LoadZone(name)
		if err != nil {
			t.Fatalf("LoadZone(%q): %v", name, err)
		}
		if loc.String() != name {
			t.Errorf("LoadZone(%q) is named %q", name, loc.String())
		}
		if at, ok := sameRules(loc, embeddedZone(t, name), from, to); !ok {
			t.Errorf("LoadZone(%q) differs from the embedded data at %v", name, at)
		}
	}
	if loc, err := LoadZone("UTC"); err != nil || loc != time.UTC {
		t.Errorf("LoadZone(UTC) = %v, %v; want time.UTC", loc, err)
	}
}

// The host's data (or time/tzdata without it) and the embedded copy agree
// on zones whose rules have long been settled.
func TestLoadZoneAgreesWithTheHostOnSettledZones(t *testing.T) {
	from, to := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"} {
		loc, err := LoadZone(name)
		if err != nil {
			t.Fatal(err)
		}
		if at, ok := sameRules(loc, mustLoc(t, name), from, to); !ok {
			t.Errorf("%s: embedded and host rules differ at %v", name, at)
		}
	}
}

// zoneChildEnv marks the copy of the test binary that runs with a forged
// $ZONEINFO.
const zoneChildEnv = "MENTORBOOK_TEST_ZONE_CHILD"

// TestLoadZoneIgnoresTheHost runs the test binary again with $ZONEINFO
// naming forged zone files, which time.LoadLocation prefers to any other
// source: Europe/Berlin holds Tokyo's rules, America/New_York garbage.
// LoadZone must not notice. ($ZONEINFO is read once per process, hence the
// child.)
func TestLoadZoneIgnoresTheHost(t *testing.T) {
	if os.Getenv(zoneChildEnv) != "" {
		forged, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		winter := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
		if _, off := winter.In(forged).Zone(); off != 9*3600 {
			t.Fatalf("the forged $ZONEINFO is not in effect: time.LoadLocation gives offset %d", off)
		}
		for _, name := range []string{"Europe/Berlin", "America/New_York"} {
			loc, err := LoadZone(name)
			if err != nil {
				t.Fatalf("LoadZone(%q): %v", name, err)
			}
			from, to := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
			if at, ok := sameRules(loc, embeddedZone(t, name), from, to); !ok {
				t.Errorf("LoadZone(%q) follows $ZONEINFO: differs from the embedded data at %v", name, at)
			}
		}
		return
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"Europe/Berlin":    embeddedBytes(t, "Asia/Tokyo"),
		"America/New_York": []byte("not a tzfile"),
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadZoneIgnoresTheHost$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZONEINFO="+dir, zoneChildEnv+"=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func embeddedBytes(t *testing.T, name string) []byte {
	t.Helper()
	f, ok := zoneFiles()[name]
	if !ok {
		t.Fatalf("%s is not in the archive", name)
	}
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestLoadZoneRefusesWhatIsNotAPlainZoneName(t *testing.T) {
	for _, name := range []string{"", "Local", "Mars/Olympus", "europe/berlin", "America/./New_York",
		"America//New_York", "./UTC", "posix/Europe/Berlin", "right/UTC", "../../etc/passwd", "/etc/localtime",
		"Europe/Berlin/", "Europe/Berlin\x00", "America", "America/Argentina", "Europe/Berlin ", "zoneinfo.zip"} {
		loc, err := LoadZone(name)
		if err == nil {
			t.Errorf("LoadZone(%q) = %v, want an error", name, loc)
		} else if !errors.Is(err, ErrUnknownZone) {
			t.Errorf("LoadZone(%q): %v, want ErrUnknownZone", name, err)
		}
	}
}

func TestZoneCacheIsBounded(t *testing.T) {
	c := &zoneCache{max: 3}
	names := []string{"Europe/Berlin", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Africa/Lagos", "Europe/Berlin"}
	var wg sync.WaitGroup
	for range 4 {
		for _, name := range names {
			wg.Go(func() {
				loc, err := c.load(name)
				if err != nil || loc.String() != name {
					t.Errorf("load(%q) = %v, %v", name, loc, err)
				}
			})
		}
	}
	wg.Wait()
	for range 100 {
		if _, err := c.load("Not/A_Zone"); err == nil {
			t.Fatal("Not/A_Zone loaded")
		}
	}
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	if n != 3 || c.n.Load() != 3 {
		t.Errorf("the cache holds %d locations and counts %d, want 3 and 3", n, c.n.Load())
	}
	// Past the bound, zones still load, uncached.
	if loc, err := c.load("Pacific/Auckland"); err != nil || loc.String() != "Pacific/Auckland" {
		t.Errorf("load past the bound = %v, %v", loc, err)
	}
}
