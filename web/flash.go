package web

import (
	"context"
	"net/http"
)

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
	"payment-sent":         "Thank you: an administrator will confirm the payment when it arrives.",
	"payout-account":       "Your payout account is saved.",
	"cashout-requested":    "Your cashout is requested.",
	"cashout-cancelled":    "Your cashout is cancelled; the money is available again.",
	"payment-confirm":      "The payment is confirmed and the mentorship active.",
	"payment-reject":       "The mentee is told the transfer did not match.",
	"payment-release":      "The share is available to the mentor.",
	"payment-refund":       "The refund is recorded.",
	"cashout-paid":         "The cashout is recorded as paid.",
	"cashout-reject":       "The cashout is rejected; the money is available to the mentor again.",
	"platform-settings":    "The platform settings are saved.",
	"mentorship-requested": "Your request was sent. It stays pending until the mentor answers.",
	"mentorship-accept":    "You accepted the request.",
	"mentorship-decline":   "You declined the request.",
	"mentorship-withdraw":  "You withdrew your request.",
	"mentorship-cancel":    "The mentorship is cancelled.",
	"mentorship-complete":  "The mentorship is complete.",
	"session":              "Your session is booked and confirmed.",
	"account":              "Your name and time zone are saved.",
	"email":                "Your email is changed.",
	"password":             "Your password is changed; your other sessions have ended.",
	"deleted":              "Your account is deleted.",
	"reset":                "Your password is changed. Log in with the new one.",
	"read":                 "Marked as read.",
	"allread":              "All notifications are marked as read.",
	"settings":             "Your notification settings are saved.",
	"blocked":              "Blocked: neither of you can send messages here until you unblock.",
	"unblocked":            "Unblocked: you can write to each other again.",
	"reported":             "Thank you: the message is reported to the administrators.",
	"task":                 "The task is saved.",
	"task-deleted":         "The task is deleted.",
	"note":                 "Your note is saved.",
	"time":                 "Your time is logged.",
	"review":               "Thank you: your review is published.",
	"reply":                "Your reply is published.",
	"availability-on":      "You are taking requests again.",
	"availability-off":     "You are not taking requests now; your profile says so.",
	"posted":               "Your broadcast is posted. Mentors can answer it now.",
	"responded":            "Your answer is sent to the author.",
	"closed":               "The broadcast is closed: it takes no more answers.",
	"broadcast-deleted":    "The broadcast is deleted.",
	"rescheduled":          "The session is moved; the other person is told.",
	"location":             "The place is saved; the mentee is told.",
	"attendance":           "Thank you: your report is saved.",
	"feed":                 "Your calendar feed has a new address; the old one no longer works.",
}

// flashCookie holds the key of a confirmation until the page shows it.
const flashCookie = "mentorbook_flash"

type flashKey struct{}

// oneTimeFlash shows each confirmation once. A page asked for with ?done=KEY
// is redirected to its address without it, the key kept in a cookie: the
// next page shown takes the cookie, so reloading it (or opening a copied
// address) does not say "Request sent" again.
func oneTimeFlash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if key := q.Get("done"); key != "" && r.Method == http.MethodGet {
			if _, ok := flashes[key]; ok {
				http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
					HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r)})
			}
			q.Del("done")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		if c, err := r.Cookie(flashCookie); err == nil && r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
			dropCookie(w, r, flashCookie)
			r = r.WithContext(context.WithValue(r.Context(), flashKey{}, c.Value))
		}
		next.ServeHTTP(w, r)
	})
}

// flashOf is the confirmation the page shows, if any.
func flashOf(r *http.Request) string {
	key, _ := r.Context().Value(flashKey{}).(string)
	return flashes[key]
}
