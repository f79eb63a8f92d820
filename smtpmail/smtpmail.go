// Package smtpmail delivers Mentorbook's email through an SMTP server,
// with github.com/wneessen/go-mail.
package smtpmail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/mentorbook/mentorbook"
)

// Options tune a Sender.
type Options struct {
	// From is the sender's address, "Mentorbook <no-reply@example.com>".
	From string
	// RootCAs, when set, replaces the system's trusted roots: tests trust
	// their self-signed server with it.
	RootCAs *x509.CertPool
	// Timeout bounds each network step (default 30 s).
	Timeout time.Duration
}

// Sender sends each email over a connection of its own.
type Sender struct {
	host string
	opts []mail.Option
	from string
}

var _ mentorbook.Mailer = (*Sender)(nil)

// New returns a Sender for an SMTP URL:
//
//	smtp+starttls://user:pass@host:587  STARTTLS, required
//	smtps://user:pass@host:465          TLS from the first byte
//	smtp://host:25                      no TLS: a relay on this host, or tests
//
// Credentials are optional; with them the server must offer a mechanism
// go-mail supports over the protected connection.
func New(rawURL string, o Options) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtpmail: the SMTP URL does not parse")
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("smtpmail: the SMTP URL %q names no host", u.Redacted())
	}
	if o.From == "" {
		return nil, fmt.Errorf("smtpmail: a sender address (mail-from) is required")
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	host := u.Hostname()
	tlsConfig := &tls.Config{ServerName: host, RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12}
	// One message per connection: no RSET after it, whose failure go-mail
	// would report as the message's, though the server has accepted it.
	opts := []mail.Option{mail.WithTimeout(o.Timeout), mail.WithTLSConfig(tlsConfig), mail.WithoutRset()}
	var port int
	switch u.Scheme {
	case "smtp+starttls":
		port = 587
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	case "smtp":
		port = 25
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fmt.Errorf("smtpmail: scheme %q: use smtp+starttls://, smtps:// or smtp://", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("smtpmail: port %q is not a port", p)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(user), mail.WithPassword(pass))
	}
	// The address must parse now, not at the first send.
	if err := mail.NewMsg().From(o.From); err != nil {
		return nil, fmt.Errorf("smtpmail: mail-from %q: %w", o.From, err)
	}
	return &Sender{host: host, opts: opts, from: o.From}, nil
}

// Send delivers e; nil means the server accepted it.
func (s *Sender) Send(ctx context.Context, e mentorbook.Email) error {
	m, err := Message(s.from, e)
	if err != nil {
		return err
	}
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtpmail: dial: %w", err)
	}
	if err := c.SendWithSMTPClient(conn, m); err != nil {
		_ = c.CloseWithSMTPClient(conn)
		return fmt.Errorf("smtpmail: send: %w", err)
	}
	// The server has the message: a failing QUIT must not make the job
	// send it again (DialAndSend would report it as a failure).
	_ = c.CloseWithSMTPClient(conn)
	return nil
}

// Message builds the message of e from the sender from.
func Message(from string, e mentorbook.Email) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, err
	}
	if err := m.To(e.To); err != nil {
		return nil, err
	}
	m.Subject(e.Subject)
	m.SetDate()
	if e.MessageID != "" {
		m.SetMessageIDWithValue(e.MessageID)
	}
	// Automatic replies (out of office) have no one to reach.
	m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	if e.Unsubscribe != "" {
		// One-click (RFC 8058) needs https; a plain link still helps.
		if strings.HasPrefix(e.Unsubscribe, "https://") {
			if err := m.SetListUnsubscribeOneClick(e.Unsubscribe); err != nil {
				return nil, err
			}
		} else {
			m.SetListUnsubscribe(e.Unsubscribe)
		}
	}
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, e.HTML)
	}
	for _, a := range e.Attachments {
		if err := m.AttachReader(a.Filename, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.ContentType))); err != nil {
			return nil, err
		}
	}
	return m, nil
}
