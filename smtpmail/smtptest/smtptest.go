// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp)
// on 127.0.0.1 for tests: it keeps what it accepts and can be told to
// refuse, or to lose its reply, the way real servers fail.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Data string
	TLS  bool // the connection was encrypted
	Auth string
}

// Header parses the message and returns a header field.
func (m Message) Header(name string) string {
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return msg.Header.Get(name)
}

// Subject is the decoded Subject.
func (m Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header("Subject"))
	if err != nil {
		return m.Header("Subject")
	}
	return s
}

// Part returns the decoded body of the part of that media type
// ("text/plain", "text/html"), in a single-part or multipart message.
func (m Message) Part(mediaType string) string {
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return findPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, mediaType)
}

func findPart(contentType, encoding string, body io.Reader, want string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart() // decodes quoted-printable itself
			if err != nil {
				return ""
			}
			if got := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, want); got != "" {
				return got
			}
		}
	}
	if mt != want {
		return ""
	}
	switch {
	case strings.EqualFold(encoding, "quoted-printable"):
		body = quotedprintable.NewReader(body)
	case strings.EqualFold(encoding, "base64"): // attachments
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, _ := io.ReadAll(body)
	return string(data)
}

// Mode is how the server encrypts.
type Mode int

const (
	Plain    Mode = iota // no TLS offered
	StartTLS             // STARTTLS offered
	Implicit             // TLS from the first byte
)

// Server is a running test server.
type Server struct {
	Addr string
	// Pool trusts the server's self-signed certificate.
	Pool *x509.CertPool

	mu       sync.Mutex
	messages []Message
	// refuse is how many more DATA commands to refuse with a temporary
	// error; lose is how many more to keep and then answer with one, as
	// when the reply is lost.
	refuse, lose, drop int
	user, pass         string
}

// Start starts a server in mode; it stops when t ends. With user set,
// the server offers AUTH PLAIN (over TLS only) and requires it.
func Start(t testing.TB, mode Mode, user, pass string) *Server {
	t.Helper()
	cert, pool := selfSigned(t)
	s := &Server{Pool: pool, user: user, pass: pass}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	if mode == StartTLS {
		srv.TLSConfig = cfg
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode == Implicit {
		ln = tls.NewListener(ln, cfg)
	}
	s.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Refuse makes the next n messages fail with 451, unsent.
func (s *Server) Refuse(n int) { s.mu.Lock(); s.refuse = n; s.mu.Unlock() }

// LoseReply makes the next n messages be kept but answered with 451.
func (s *Server) LoseReply(n int) { s.mu.Lock(); s.lose = n; s.mu.Unlock() }

// HangUpAfterAccept makes the next n messages be accepted and the
// connection then closed without answering QUIT.
func (s *Server) HangUpAfterAccept(n int) { s.mu.Lock(); s.drop = n; s.mu.Unlock() }

// Messages returns what the server kept so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// To returns the kept messages to one address.
func (s *Server) To(addr string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if to == addr {
				out = append(out, m)
			}
		}
	}
	return out
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, tlsOn := c.TLSConnectionState()
	return &session{s: b.s, conn: c, msg: Message{TLS: tlsOn}}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	msg  Message
}

var errTemporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return errors.New("invalid credentials")
		}
		ss.msg.Auth = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.msg.Auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.msg.From = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse > 0 {
		ss.s.refuse--
		return errTemporary
	}
	m := ss.msg
	m.To = append([]string(nil), m.To...)
	m.Data = string(data)
	ss.s.messages = append(ss.s.messages, m)
	if ss.s.lose > 0 {
		ss.s.lose--
		return errTemporary
	}
	if ss.s.drop > 0 {
		ss.s.drop--
		// The 250 for DATA is still written; QUIT then reads EOF and the
		// server hangs up without answering it.
		if tc, ok := ss.conn.Conn().(*net.TCPConn); ok {
			_ = tc.CloseRead()
		}
	}
	return nil
}

func (ss *session) Reset()        { ss.msg = Message{TLS: ss.msg.TLS, Auth: ss.msg.Auth} }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
