package web

import "net/http"

// flashes are the confirmations a redirect after a successful POST can ask
// for with ?done=KEY. Only these fixed texts are shown, never text from the
// URL itself.
var flashes = map[string]string{
	"signup":               "Welcome to Mentorbook! Your account is ready.",
	"login":                "You are signed in.",
	"logout":               "You are signed out.",
	"profile":              "Your mentor profile is saved.",
	"newmentor":            "Your mentor profile is saved. Now set the hours mentees can book.",
	"hours":                "Your availability is saved.",
	"override":             "The date's hours are saved.",
	"unoverride":           "The date is back to your weekly hours.",
	"requested":            "Your request was sent. It stays pending until the mentor answers.",
	"accepted":             "You accepted the request; the session is confirmed.",
	"declined":             "You declined the request.",
	"cancelled":            "The booking is cancelled.",
	"service":              "Your service is saved.",
	"archived":             "The service is archived: mentees can no longer request it; its mentorships go on.",
	"mentorship-requested": "Your request was sent. It stays pending until the mentor answers.",
	"mentorship-accept":    "You accepted the request.",
	"mentorship-decline":   "You declined the request.",
	"mentorship-withdraw":  "You withdrew your request.",
	"mentorship-cancel":    "The mentorship is cancelled.",
	"mentorship-complete":  "The mentorship is complete.",
	"session":              "Your session is booked and confirmed.",
}

func flashOf(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }
