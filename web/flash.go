package web

import "net/http"

// flashes are the confirmations a redirect after a successful POST can ask
// for with ?done=KEY. Only these fixed texts are shown, never text from the
// URL itself.
var flashes = map[string]string{
	"signup":     "Welcome to Mentorbook! Your account is ready.",
	"login":      "You are signed in.",
	"logout":     "You are signed out.",
	"profile":    "Your mentor profile is saved.",
	"newmentor":  "Your mentor profile is saved. Now set the hours mentees can book.",
	"hours":      "Your availability is saved.",
	"override":   "The date's hours are saved.",
	"unoverride": "The date is back to your weekly hours.",
	"requested":  "Your request was sent. It stays pending until the mentor answers.",
	"accepted":   "You accepted the request; the session is confirmed.",
	"declined":   "You declined the request.",
	"cancelled":  "The booking is cancelled.",
	"posted":     "Your broadcast is posted. Mentors can answer it now.",
	"responded":  "Your answer is sent to the author.",
	"closed":     "The broadcast is closed: it takes no more answers.",
	"deleted":    "The broadcast is deleted.",
	"service":    "Your service is saved.",
	"archived":   "The service is archived: mentees can no longer request it; its mentorships go on.",
}

func flashOf(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }
