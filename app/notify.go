package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// JobSendEmail sends one email: a job whose effect is outside the
// database, so it is sent with no transaction open.
const JobSendEmail = "send-email"

// emailAttempts bounds the tries of one email: with the backoff doubling
// from 10 s up to an hour, about three hours of a failing server.
const emailAttempts = 12

// notify tells n.UserID of an event, inside the event's transaction: it
// records the in-app notification and, unless the user turned that kind of
// email off, enqueues its email (keyed by the notification, so it is sent
// once). Every use case that notifies calls this. Title and Body are
// written for the recipient: times in their zone, the zone named.
// Attachments go with the email only.
func (c *core) notify(ctx context.Context, tx mentorbook.Tx, n mentorbook.Notification, attach ...mentorbook.Attachment) error {
	n, err := c.record(ctx, tx, n)
	if err != nil {
		return err
	}
	off, err := tx.Notifications().EmailOff(ctx, n.UserID)
	if err != nil {
		return err
	}
	for _, k := range off {
		if k == n.Kind {
			return nil
		}
	}
	u, err := tx.Users().ByID(ctx, n.UserID)
	if err != nil {
		return err
	}
	key, err := c.settingsKey(ctx, tx)
	if err != nil {
		return err
	}
	e, err := c.notificationEmail(u, n, emailOffToken(key, u.ID, n.Kind))
	if err != nil {
		return err
	}
	e.Attachments = attach
	return c.email(ctx, tx, "notification:"+strconv.FormatInt(n.ID, 10), e)
}

// record records the in-app notification n and tells the recipient's live
// streams (the notification and the new unread counts), without email.
func (c *core) record(ctx context.Context, tx mentorbook.Tx, n mentorbook.Notification) (mentorbook.Notification, error) {
	if !n.Kind.Valid() {
		return n, fmt.Errorf("app: notify of unknown kind %q", n.Kind)
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = c.clock()
	}
	n, err := tx.Notifications().Create(ctx, n)
	if err != nil {
		return n, err
	}
	if err := c.event(ctx, tx, n.UserID, EventNotification, map[string]any{
		"id": n.ID, "kind": n.Kind, "title": n.Title, "link": n.Link}); err != nil {
		return n, err
	}
	return n, c.unreadEvent(ctx, tx, n.UserID)
}

// email enqueues e in tx, the transaction of its cause, to be sent after
// commit. A non-empty key sends it once however often it is enqueued (a
// password reset would key it by its token's hash). MessageID is set from
// the job when it is sent.
func (c *core) email(ctx context.Context, tx mentorbook.Tx, key string, e mentorbook.Email) error {
	if e.To == "" || e.Subject == "" || e.Text == "" {
		return fmt.Errorf("app: an email needs a recipient, a subject and a text")
	}
	return c.jobs.Enqueue(ctx, tx, JobSendEmail, key, e, c.clock())
}

// sendEmail is the effect of a send-email job.
func (c *core) sendEmail(ctx context.Context, j mentorbook.Job) error {
	var e mentorbook.Email
	if err := json.Unmarshal(j.Payload, &e); err != nil {
		return err
	}
	e.MessageID = c.messageID(j)
	return c.mailer.Send(ctx, e)
}

// messageID is the same for every attempt of one job, and differs between
// jobs and databases (a job ID recurs only in another database, with
// another creation time).
func (c *core) messageID(j mentorbook.Job) string {
	host := "mentorbook.invalid"
	if u, err := url.Parse(c.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return fmt.Sprintf("job-%d.%d@%s", j.ID, j.CreatedAt.UnixMicro(), host)
}

// logMailer writes emails to the log: the mailer without an SMTP server.
type logMailer struct {
	log interface{ Info(string, ...any) }
}

func (m logMailer) Send(_ context.Context, e mentorbook.Email) error {
	m.log.Info("email (no SMTP server configured)", "to", e.To, "subject", e.Subject,
		"message_id", e.MessageID, "text", e.Text)
	return nil
}

// emailSettingsKeyName names the signing key of the links that turn an
// email kind off; migration 0005 makes it.
const emailSettingsKeyName = "email-settings"

// settingsKey returns the signing key, read once: it never changes.
func (c *core) settingsKey(ctx context.Context, tx mentorbook.Tx) ([]byte, error) {
	c.keyMu.Lock()
	defer c.keyMu.Unlock()
	if c.key != nil {
		return c.key, nil
	}
	key, err := tx.Notifications().SigningKey(ctx, emailSettingsKeyName)
	if err != nil {
		return nil, err
	}
	c.key = key
	return key, nil
}

// emailOffToken is the token of the link that turns kind off for a user:
// what it does, and an HMAC of that under the database's secret key, so
// it works without logging in and cannot be guessed or altered.
func emailOffToken(key []byte, userID int64, kind mentorbook.NotificationKind) string {
	payload := strconv.FormatInt(userID, 10) + "." + string(kind)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(key, payload))
}

func tokenMAC(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("email-off\x00" + payload))
	return m.Sum(nil)
}

// parseEmailOffToken checks a token and says what it turns off.
func parseEmailOffToken(key []byte, token string) (int64, mentorbook.NotificationKind, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return 0, "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, tokenMAC(key, string(payload))) {
		return 0, "", false
	}
	id, kind, ok := strings.Cut(string(payload), ".")
	userID, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || !mentorbook.NotificationKind(kind).Valid() {
		return 0, "", false
	}
	return userID, mentorbook.NotificationKind(kind), true
}

// EmailOffPath is the site path of the page a token's link opens.
func EmailOffPath(token string) string { return "/email-off/" + token }

// NotificationSettingsPath is the page of a user's notification settings.
const NotificationSettingsPath = "/me/notifications"

// notificationEmail is the email of n for u.
func (c *core) notificationEmail(u mentorbook.User, n mentorbook.Notification, token string) (mentorbook.Email, error) {
	d := emailData{Name: u.Name, Title: n.Title, Body: n.Body, Kind: n.Kind.Label(),
		Link:     c.baseURL + n.Link,
		Off:      c.baseURL + EmailOffPath(token),
		Settings: c.baseURL + NotificationSettingsPath,
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Hello %s,\n\n%s\n\n%s\n\nOpen it: %s\n\n-- \nMentorbook\n", d.Name, d.Title, d.Body, d.Link)
	fmt.Fprintf(&text, "Turn off emails about %q: %s\nAll notification settings: %s\n", d.Kind, d.Off, d.Settings)
	var html bytes.Buffer
	if err := emailHTML.Execute(&html, d); err != nil {
		return mentorbook.Email{}, err
	}
	return mentorbook.Email{To: u.Email, Subject: n.Title, Text: text.String(), HTML: html.String(), Unsubscribe: d.Off}, nil
}

type emailData struct {
	Name, Title, Body, Kind, Link, Off, Settings string
}

var emailHTML = template.Must(template.New("email").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a">
<p>Hello {{.Name}},</p>
<h1 style="font-size: 1.25em">{{.Title}}</h1>
<p style="white-space: pre-line">{{.Body}}</p>
<p><a href="{{.Link}}">Open it in Mentorbook</a></p>
<hr>
<p style="font-size: 0.875em; color: #555">
<a href="{{.Off}}">Turn off emails about “{{.Kind}}”</a> ·
<a href="{{.Settings}}">All notification settings</a></p>
</body></html>
`))

// zoneOf returns a user's zone, for writing times in a notification.
func zoneOf(ctx context.Context, tx mentorbook.Tx, userID int64) (*time.Location, error) {
	u, err := tx.Users().ByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	loc, err := schedule.LoadZone(u.Timezone)
	if err != nil {
		return time.UTC, nil // an account zone that no longer loads: UTC, named
	}
	return loc, nil
}

// whenIn writes a span as "Monday 1 June 2026, 12:00–13:00 (Europe/Berlin)".
func whenIn(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	out := s.Format("Monday 2 January 2006, 15:04") + "–" + e.Format("15:04")
	if s.Format("20060102") != e.Format("20060102") {
		out = s.Format("Monday 2 January 2006, 15:04") + " – " + e.Format("Monday 2 January 2006, 15:04")
	}
	return out + " (" + loc.String() + ")"
}
