package app

import (
	"context"

	"github.com/mentorbook/mentorbook"
)

// notify tells n.UserID of an event, inside the event's transaction: it
// records the in-app notification and, unless the user turned that kind of
// email off, enqueues its email. Every use case that notifies calls this.
//
// TODO(issue 7): the notifications concern fills this in.
func (c *core) notify(ctx context.Context, tx mentorbook.Tx, n mentorbook.Notification) error {
	_ = ctx
	_ = tx
	_ = n
	return nil
}
