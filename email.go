package mentorbook

import "context"

// Email is one message to one recipient, as a job sends it.
type Email struct {
	To      string
	Subject string
	Text    string // the plain-text body
	HTML    string // an HTML alternative; "" = text only
	// MessageID is stable across retries of one job (without angle
	// brackets), so a message sent twice after a lost reply is
	// recognisable as the same message.
	MessageID string
	// Unsubscribe, when set, is the URL that turns this kind of email off
	// with one POST (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
	Unsubscribe string
	// Attachments go with the message (an iCalendar invite).
	Attachments []Attachment `json:",omitempty"`
}

// Attachment is a file sent with an email.
type Attachment struct {
	Filename    string
	ContentType string // "text/calendar; charset=utf-8; method=REQUEST"
	Data        []byte
}

// Mailer delivers email. Send returns nil once the server accepted the
// message for delivery.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}
