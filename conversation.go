package mentorbook

import (
	"context"
	"time"
)

// Conversation is the one conversation between two users (UserLo <
// UserHi). UpdatedAt is its last activity.
type Conversation struct {
	ID             int64
	UserLo, UserHi int64
	OpenedBy       int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Has reports whether userID is one of the two.
func (c Conversation) Has(userID int64) bool { return userID == c.UserLo || userID == c.UserHi }

// Other is the participant who is not userID.
func (c Conversation) Other(userID int64) int64 {
	if userID == c.UserLo {
		return c.UserHi
	}
	return c.UserLo
}

// Message is one message of a conversation.
type Message struct {
	ID             int64
	ConversationID int64
	SenderID       int64
	Body           string
	CreatedAt      time.Time
}

// ConversationSummary is a conversation as one participant lists it.
type ConversationSummary struct {
	Conversation
	OtherID   int64
	OtherName string
	Last      *Message // nil before the first message
	Unread    int      // the other's messages after the viewer's read marker
}

// ConversationFilter selects one user's conversations, most recent
// activity first.
type ConversationFilter struct {
	UserID int64
	// After is a keyset cursor: only conversations older than it in
	// (UpdatedAt, ID) order.
	After *ConversationCursor
	Limit int // > 0
}

// ConversationCursor is a position in the activity order.
type ConversationCursor struct {
	UpdatedAt time.Time
	ID        int64
}

// MessageFilter selects a page of a conversation's messages, returned
// oldest first: those with ID < BeforeID or > AfterID (0 = unbounded);
// with neither, the latest page.
type MessageFilter struct {
	ConversationID    int64
	BeforeID, AfterID int64
	Limit             int // > 0
}

// Report is a user's report of a message, with the message it names.
type Report struct {
	ID           int64
	MessageID    int64
	ReporterID   int64
	ReporterName string
	Reason       string
	CreatedAt    time.Time
	Message      Message
	Conversation Conversation
}

// Event is one entry of a user's append-only event log, what a live
// stream sends. IDs increase per user in commit order.
type Event struct {
	UserID    int64
	ID        int64
	Kind      string // message, read, notification, unread
	Data      string // JSON
	CreatedAt time.Time
}

// Conversations holds conversations, messages, read markers, blocks and
// reports.
type Conversations interface {
	// Open returns the pair's conversation, creating it (opened by by, at
	// now) when there is none: created says which. Racing opens of one
	// pair return the same conversation.
	Open(ctx context.Context, a, b, by int64, now time.Time) (c Conversation, created bool, err error)
	// Get is ENOTFOUND when there is no such conversation.
	Get(ctx context.Context, id int64) (Conversation, error)
	List(ctx context.Context, f ConversationFilter) ([]ConversationSummary, error)
	// Linked reports whether a and b have a booking or a mentorship
	// between them, in any state and either role.
	Linked(ctx context.Context, a, b int64) (bool, error)
	// OpenedSince counts the conversations userID opened at or after
	// since, and returns the oldest of them.
	OpenedSince(ctx context.Context, userID int64, since time.Time) (int, time.Time, error)

	// Send stores m (and key, the sender's Idempotency-Key, "" for none),
	// moves the conversation's activity and counts it unread for the
	// recipient. A key used before returns the message first sent with
	// it and created false.
	Send(ctx context.Context, m Message, key string) (Message, bool, error)
	// SentSince counts the messages userID sent at or after since, and
	// returns the oldest of them.
	SentSince(ctx context.Context, userID int64, since time.Time) (int, time.Time, error)
	Messages(ctx context.Context, f MessageFilter) ([]Message, error)
	// Message is ENOTFOUND when there is no such message.
	Message(ctx context.Context, id int64) (Message, error)
	// MarkRead moves userID's read marker to messageID unless it is
	// already there or further, and recounts their unread messages;
	// moved says whether it moved.
	MarkRead(ctx context.Context, conversationID, userID, messageID int64) (bool, error)
	// Unread is the total of userID's unread messages.
	Unread(ctx context.Context, userID int64) (int, error)
	// UnreadIn is userID's unread count in one conversation, and their read marker.
	UnreadIn(ctx context.Context, conversationID, userID int64) (unread int, lastRead int64, err error)

	Block(ctx context.Context, blocker, blocked int64, now time.Time) error
	Unblock(ctx context.Context, blocker, blocked int64) error
	// Blocked reports whether either user blocks the other.
	Blocked(ctx context.Context, a, b int64) (bool, error)
	// Blocks reports whether blocker blocks blocked.
	Blocks(ctx context.Context, blocker, blocked int64) (bool, error)

	// Report records a report; a second by the same reporter of the same
	// message is ECONFLICT.
	Report(ctx context.Context, r Report) (Report, error)
	// Reports lists reports newest first, those with ID < beforeID (0 =
	// from the newest).
	Reports(ctx context.Context, beforeID int64, limit int) ([]Report, error)
}

// Events is the per-user event log that live streams replay.
type Events interface {
	// Append gives e the user's next ID and stores it. The user's events
	// take turns: a later one commits after an earlier one.
	Append(ctx context.Context, e Event) (Event, error)
	// After lists the user's events with ID > afterID, oldest first.
	After(ctx context.Context, userID, afterID int64, limit int) ([]Event, error)
	// LastID is the user's latest event ID (0 when none).
	LastID(ctx context.Context, userID int64) (int64, error)
	// DeleteBefore removes events created before the time.
	DeleteBefore(ctx context.Context, before time.Time) (int, error)
}

// Broker fans "these users have new events" out to the live streams of
// every instance, after the events' transaction committed. It carries user
// and event IDs only; streams read the events from the database.
type Broker interface {
	// Publish tells every instance that the users have new events.
	Publish(ctx context.Context, userIDs ...int64)
	// Subscribe returns a channel that receives when userID may have new
	// events (at least once after each Publish naming them, and after the
	// broker lost contact with other instances), and the function that
	// ends the subscription.
	Subscribe(userID int64) (<-chan struct{}, func())
	// WatchSlots has fn called with the users whose slot inputs another
	// instance changed, once it committed; nil means anyone's may have
	// (contact with the other instances was lost for a while).
	WatchSlots(fn func(userIDs []int64))
	// WatchAccounts has fn called with the users whose sessions or account
	// (what a session finds of them) another instance changed, once it
	// committed; nil means anyone's may have.
	WatchAccounts(fn func(userIDs []int64))
}
