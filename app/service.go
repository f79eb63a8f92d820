// Package app holds Mentorbook's use cases: validation, authorization and
// the order of storage calls. The JSON API and the web pages both call it,
// so neither holds scheduling or permission logic.
package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// App is Mentorbook's use cases, one service per concern. The services
// share one store, clock, logger and job queue (core), so a rule of one
// concern lives in one file and its service.
type App struct {
	Accounts      *Accounts
	Mentors       *Mentors
	Availability  *Availability
	Calendar      *Calendar
	Bookings      *Bookings
	Notifications *Notifications
	Services      *Services
	Mentorships   *Mentorships
	Conversations *Conversations
	Events        *Events
	Progress      *Progress
	Reviews       *Reviews
	Dashboard     *Dashboard
	Broadcasts    *Broadcasts
	Platform      *Platform
	Payments      *Payments
	Ledger        *Ledger
	Cashouts      *Cashouts
	// Jobs runs background work; use cases enqueue into it.
	Jobs *Jobs
	core *core
}

// The per-concern services. Each is the shared core with its own methods.
type (
	// Accounts signs people up and in, and holds their sessions.
	Accounts struct{ *core }
	// Mentors holds mentor profiles and the mentor directory.
	Mentors struct{ *core }
	// Availability holds a mentor's weekly hours and date overrides.
	Availability struct{ *core }
	// Calendar computes the free and busy times a viewer sees.
	Calendar struct{ *core }
	// Bookings requests, answers and lists bookings.
	Bookings struct{ *core }
	// Notifications lists a user's notifications and holds their email
	// settings; notify (notify.go) writes them.
	Notifications struct{ *core }
	// Broadcasts holds calls for help and mentors' answers to them.
	Broadcasts struct{ *core }
	// Services holds what mentors offer.
	Services struct{ *core }
	// Mentorships requests, answers and lists mentorships.
	Mentorships struct{ *core }
	// Progress holds a mentorship's tasks, notes and logged time.
	Progress struct{ *core }
	// Reviews holds mentees' reviews of mentors and the replies.
	Reviews struct{ *core }
	// Dashboard gathers where a user stands, in one read.
	Dashboard struct{ *core }
	// Platform holds administrators and the platform's settings.
	Platform struct{ *core }
	// Payments takes bank-transfer payments, their confirmation, refunds
	// and the release of mentors' shares (docs/money.md).
	Payments struct{ *core }
	// Ledger reads balances and the books.
	Ledger struct{ *core }
	// Cashouts holds payout accounts and pays mentors out.
	Cashouts struct{ *core }
)

// core is what every use case shares.
type core struct {
	store     mentorbook.Store
	now       func() time.Time
	passwords *passwordHasher
	// dummyHash is a hash verified when a login names an unknown email.
	dummyHash func() string
	log       *slog.Logger
	jobs      *Jobs
	mailer    mentorbook.Mailer
	baseURL   string // absolute links in emails, without a trailing slash

	newReference func() string

	keyMu sync.Mutex
	key   []byte // the email-settings signing key, once read

	currency money.Currency
	// broker wakes live streams, on every instance, after commit.
	broker mentorbook.Broker
	// slots caches what decides mentors' slots (slotcache.go).
	slots *slotCache
	// sessions caches the users sessions found (sessioncache.go).
	sessions *sessionCache
	// meetingURLTemplate makes an online session's link when neither its
	// service nor its mentor has one: "{room}" becomes a room name.
	meetingURLTemplate string
}

// Options tune an App; the zero value is production-ready.
type Options struct {
	// Now replaces the clock in tests.
	Now func() time.Time
	// CheapPasswords uses minimal argon2id cost, for tests only.
	CheapPasswords bool
	Logger         *slog.Logger
	// Mailer sends email; nil writes emails to the log instead.
	Mailer mentorbook.Mailer
	// BaseURL is the site's address for links in emails
	// ("https://mentorbook.example"); default http://localhost:8080.
	BaseURL string
	// Currency is the platform currency of every amount; zero is USD.
	Currency money.Currency
	// Broker fans live events out to every instance's streams; nil is
	// in memory, for one process.
	Broker mentorbook.Broker
	// MeetingURLTemplate, when set, makes the meeting link of an online
	// session that has none: "{room}" becomes an unguessable room name
	// ("https://meet.example.org/{room}").
	MeetingURLTemplate string
	// NewReference makes payment references; nil is random. Tests set it.
	NewReference func() string
	// NoSlotCache reads every slot query from the database: the reference
	// the cache is tested against.
	NoSlotCache bool
	// NoSessionCache reads every session from the database.
	NoSessionCache bool
}

// New returns the use cases on store.
func New(store mentorbook.Store, opts Options) *App {
	c := &core{store: store, now: opts.Now, log: opts.Logger, mailer: opts.Mailer,
		baseURL: strings.TrimSuffix(opts.BaseURL, "/"), currency: opts.Currency, meetingURLTemplate: opts.MeetingURLTemplate}
	c.broker = opts.Broker
	if c.broker == nil {
		c.broker = NewMemoryBroker()
	}
	// Every write that appends events publishes them once it committed.
	c.store = publishingStore{store, c.broker}
	// Every write that changes slot inputs drops their cached slots here,
	// and one that changes sessions or accounts their cached sessions;
	// other instances' writes arrive through the broker.
	c.slots = newSlotCache()
	c.slots.disabled = opts.NoSlotCache
	c.sessions = newSessionCache()
	c.sessions.disabled = opts.NoSessionCache
	c.store = cacheStore{c.store, c.slots, c.sessions}
	c.broker.WatchSlots(c.slots.invalidate)
	c.broker.WatchAccounts(c.sessions.invalidate)
	c.newReference = opts.NewReference
	if c.newReference == nil {
		c.newReference = newReference
	}
	if c.currency.Code == "" {
		c.currency = money.MustParse("USD")
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.mailer == nil {
		c.mailer = logMailer{c.log}
	}
	if c.baseURL == "" {
		c.baseURL = "http://localhost:8080"
	}
	c.passwords = newPasswordHasher(opts.CheapPasswords)
	c.jobs = newJobs(c.store, c.clock, c.log)
	c.dummyHash = sync.OnceValue(func() string {
		h, _ := c.passwords.Hash("not a password anyone has")
		return h
	})
	a := &App{
		Accounts:      &Accounts{c},
		Mentors:       &Mentors{c},
		Availability:  &Availability{c},
		Calendar:      &Calendar{c},
		Bookings:      &Bookings{c},
		Notifications: &Notifications{c},
		Services:      &Services{c},
		Mentorships:   &Mentorships{c},
		Conversations: &Conversations{c},
		Events:        &Events{c},
		Progress:      &Progress{c},
		Reviews:       &Reviews{c},
		Dashboard:     &Dashboard{c},
		Broadcasts:    &Broadcasts{c},
		Platform:      &Platform{c},
		Payments:      &Payments{c},
		Ledger:        &Ledger{c},
		Cashouts:      &Cashouts{c},
		Jobs:          c.jobs,
		core:          c,
	}
	a.registerUpkeep()
	c.jobs.Register(JobSendEmail, JobKind{Effect: c.sendEmail, MaxAttempts: emailAttempts})
	c.jobs.Register(JobMessageEmail, JobKind{Handler: c.messageEmail, MaxAttempts: 5})
	c.jobs.Register(JobSessionReminder, JobKind{Handler: c.remind})
	c.jobs.Register(JobReleaseShare, JobKind{Handler: a.Payments.releaseJob, MaxAttempts: 5})
	return a
}

// clock returns the current instant in UTC at microsecond precision, the
// precision both stores keep.
func (c *core) clock() time.Time {
	return c.now().UTC().Truncate(time.Microsecond)
}

// Now is the use cases' clock. Pages that judge "today" or "not started
// yet" read it, so they agree with the use cases (and tests can set it).
func (a *App) Now() time.Time { return a.core.clock() }

// Ping reports whether the database answers and can be written.
func (a *App) Ping(ctx context.Context) error { return a.core.store.Ping(ctx) }

// The periodic upkeep jobs. Reads already treat stale requests as expired;
// materialising the expiry keeps the database's overlap guard free of them,
// and the deletions keep the tables from growing.
const (
	JobExpireBookings = "expire-bookings"
	// JobExpireMentorships materialises mentorships' deadlines (request
	// and payment expiry, the end of an async one) and notifies.
	JobExpireMentorships = "expire-mentorships"
	JobDeleteSessions    = "delete-expired-sessions"
	JobDeleteFailures    = "delete-old-login-failures"
	JobDeleteKeys        = "delete-old-idempotency-keys"
	JobDeleteOldJobs     = "delete-finished-jobs"
	JobDeleteResetData   = "delete-old-password-reset-data"
	finishedJobsKeep     = 24 * time.Hour
	upkeepEvery          = 5 * time.Minute
	expireBookingsEvery  = time.Minute
)

func (a *App) registerUpkeep() {
	upkeep := func(every time.Duration, fn func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error)) JobKind {
		return JobKind{Every: every, MaxAttempts: 3, Handler: func(ctx context.Context, tx mentorbook.Tx, _ mentorbook.Job, now time.Time) error {
			_, err := fn(ctx, tx, now)
			return err
		}}
	}
	// Each expired request is notified in the transaction that expires it.
	a.Jobs.Register(JobExpireBookings, upkeep(expireBookingsEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return a.Bookings.expireStale(ctx, tx, now, mentorbook.StaleScope{})
	}))
	a.Jobs.Register(JobExpireMentorships, upkeep(expireBookingsEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return a.Mentorships.expireDue(ctx, tx, now)
	}))
	a.Jobs.Register(JobDeleteSessions, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Users().DeleteExpiredSessions(ctx, now)
	}))
	// Failures older than the lockout window no longer count.
	a.Jobs.Register(JobDeleteFailures, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Users().DeleteLoginFailures(ctx, now.Add(-loginWindow))
	}))
	a.Jobs.Register(JobDeleteKeys, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Bookings().DeleteKeys(ctx, now.Add(-idempotencyKeep))
	}))
	// Reset requests older than the limit's window no longer count, and
	// expired tokens can never be used.
	a.Jobs.Register(JobDeleteResetData, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Users().DeleteResetData(ctx, now.Add(-resetWindow))
	}))
	// Automatic cashouts: once a day, on every instance together.
	a.Jobs.Register(JobAutoCashouts, upkeep(24*time.Hour, a.Cashouts.autoCashouts))
	// A finished job's row is what deduplicates its key; periodic keys
	// name their period, so a day is ample.
	a.Jobs.Register(JobDeleteOldEvents, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Events().DeleteBefore(ctx, now.Add(-eventsKeep))
	}))
	a.Jobs.Register(JobDeleteOldJobs, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Jobs().DeleteFinished(ctx, now.Add(-finishedJobsKeep))
	}))
}
