package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/mentorbook/mentorbook/schedule"
)

// tzCookie holds the zone an anonymous visitor's browser reported
// (static/app.js sets it).
const tzCookie = "tz"

// commonZones are offered by every timezone picker. Any other valid IANA
// zone may be typed.
var commonZones = []string{
	"UTC",
	"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Vancouver", "America/Phoenix",
	"America/Denver", "America/Chicago", "America/Mexico_City", "America/New_York", "America/Toronto",
	"America/Bogota", "America/Lima", "America/Halifax", "America/Santiago", "America/Sao_Paulo",
	"America/Argentina/Buenos_Aires", "America/St_Johns", "Atlantic/Azores",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Africa/Lagos", "Africa/Casablanca",
	"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm",
	"Europe/Warsaw", "Africa/Johannesburg", "Africa/Cairo", "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv",
	"Asia/Jerusalem", "Europe/Istanbul", "Europe/Moscow", "Africa/Nairobi", "Asia/Riyadh", "Asia/Tehran",
	"Asia/Dubai", "Asia/Karachi", "Asia/Tashkent", "Asia/Kolkata", "Asia/Colombo", "Asia/Kathmandu", "Asia/Dhaka",
	"Asia/Yangon", "Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh", "Asia/Shanghai", "Asia/Hong_Kong",
	"Asia/Singapore", "Asia/Manila", "Asia/Taipei", "Australia/Perth", "Asia/Seoul", "Asia/Tokyo",
	"Australia/Adelaide", "Australia/Darwin", "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne",
	"Australia/Lord_Howe", "Pacific/Noumea", "Pacific/Auckland", "Pacific/Chatham", "Pacific/Tongatapu",
	"Pacific/Kiritimati",
}

// zoneAliases maps old zone names that browsers still report (Chromium's
// ICU says Asia/Calcutta for India) to their current IANA names, so pages
// and accounts show the name people know.
var zoneAliases = map[string]string{
	"Asia/Calcutta":        "Asia/Kolkata",
	"Asia/Saigon":          "Asia/Ho_Chi_Minh",
	"Asia/Katmandu":        "Asia/Kathmandu",
	"Asia/Rangoon":         "Asia/Yangon",
	"Europe/Kiev":          "Europe/Kyiv",
	"America/Buenos_Aires": "America/Argentina/Buenos_Aires",
	"Atlantic/Faeroe":      "Atlantic/Faroe",
	"Pacific/Truk":         "Pacific/Chuuk",
	"Pacific/Ponape":       "Pacific/Pohnpei",
	"Asia/Ulan_Bator":      "Asia/Ulaanbaatar",
	"America/Godthab":      "America/Nuuk",
	"Etc/UTC":              "UTC",
	"Etc/GMT":              "UTC",
}

// canonicalZone trims a typed or reported zone name and replaces an old
// alias with its current name.
func canonicalZone(name string) string {
	name = strings.TrimSpace(name)
	if c, ok := zoneAliases[name]; ok {
		return c
	}
	return name
}

// validZone reports whether name is a zone the use cases accept.
func validZone(name string) bool {
	_, err := schedule.LoadZone(name)
	return err == nil
}

// zoneChoice is the zone times are shown in and where it came from.
type zoneChoice struct {
	Zone string
	// Known is false when nothing says where the visitor is: times are in
	// UTC and static/app.js reports the browser's zone and reloads.
	Known bool
	// Chosen is set when the zone came from ?tz=: the page's links and
	// forms carry it on, since it holds for this page only.
	Chosen bool
	// Invalid is a ?tz= that is not a zone, to say so on the page.
	Invalid string
}

// viewerZone picks the zone to show times in. ?tz= ("show times in") holds
// for the page that asks for it and is never remembered, so previewing a
// mentor's calendar in another zone changes no other page. Otherwise a
// signed-in user sees their account's zone; an anonymous visitor sees the
// zone their browser reported (static/app.js keeps it in the tz cookie),
// else UTC until it does.
func viewerZone(r *http.Request) zoneChoice {
	return zoneFor(r, r.URL.Query().Get("tz"))
}

// zoneFor is viewerZone with tz in place of ?tz=.
func zoneFor(r *http.Request, tz string) zoneChoice {
	var c zoneChoice
	if q := canonicalZone(tz); q != "" {
		if validZone(q) {
			return zoneChoice{Zone: q, Known: true, Chosen: true}
		}
		c.Invalid = q
	}
	if u := viewerOf(r).user; u != nil && validZone(u.Timezone) {
		c.Zone, c.Known = u.Timezone, true
		return c
	}
	if ck, err := r.Cookie(tzCookie); err == nil {
		if z, err := url.PathUnescape(ck.Value); err == nil && validZone(canonicalZone(z)) {
			c.Zone, c.Known = canonicalZone(z), true
			return c
		}
	}
	c.Zone = "UTC"
	return c
}
