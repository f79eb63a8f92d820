package sqlstore

import (
	"context"

	"github.com/mentorbook/mentorbook"
)

// Exec runs raw SQL in write transactions, for tests of what the engines
// accept.
type Exec struct{ db *DB }

func (db *DB) Exec() *Exec { return &Exec{db} }

// Do runs one statement.
func (x *Exec) Do(ctx context.Context, query string, args ...any) error {
	return x.db.Write(ctx, func(t mentorbook.Tx) error {
		_, err := t.(*tx).exec(ctx, query, args...)
		return err
	})
}

// Row runs one statement and scans its row into dest.
func (x *Exec) Row(ctx context.Context, query string, args []any, dest ...any) error {
	return x.db.Write(ctx, func(t mentorbook.Tx) error {
		return t.(*tx).execScan(ctx, query, args, dest...)
	})
}

// InTx runs fn with a statement runner inside one write transaction.
func (x *Exec) InTx(ctx context.Context, fn func(do func(query string, args ...any) error) error) error {
	return x.db.Write(ctx, func(t mentorbook.Tx) error {
		return fn(func(query string, args ...any) error {
			_, err := t.(*tx).exec(ctx, query, args...)
			return err
		})
	})
}
