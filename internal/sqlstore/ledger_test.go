package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/sqlstore"
	"github.com/mentorbook/mentorbook/storetest"
)

// The database itself keeps the ledger append-only and its balances at or
// above zero, whatever SQL reaches it.
func TestTheDatabaseRefusesToChangeTheLedger(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			store := eng.Open(t)
			x := store.(interface{ Exec() *sqlstore.Exec }).Exec()
			ctx := t.Context()
			err := store.Write(ctx, func(tx mentorbook.Tx) error {
				_, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: "k", SourceType: "payment", SourceID: 1,
					Currency: "EUR", Description: "d", CreatedAt: t0, Postings: []mentorbook.Posting{
						{Account: mentorbook.Account{Bucket: mentorbook.BucketBank}, Amount: 100},
						{Account: mentorbook.Account{Bucket: mentorbook.BucketFees}, Amount: -100},
					}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`UPDATE ledger_entries SET amount = amount + 1`,
				`DELETE FROM ledger_entries`,
				`UPDATE ledger_transactions SET description = 'x'`,
				`DELETE FROM ledger_transactions`,
			} {
				if err := x.Do(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v", q, err)
				}
			}
			err = x.Do(ctx, `UPDATE ledger_accounts SET balance = -1 WHERE kind = 'bank'`)
			if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
				t.Errorf("a negative balance: %v", err)
			}
			err = x.Do(ctx, `INSERT INTO ledger_transactions (kind, source_type, source_id, currency, description, created_at)
				VALUES ('k', 'payment', 1, 'EUR', 'again', $1)`, t0)
			if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT || !strings.Contains(err.Error(), "already recorded") {
				t.Errorf("a second (source, kind): %v", err)
			}
			var n int
			if err := x.Row(ctx, `SELECT count(*) FROM ledger_entries WHERE amount IN (100, -100)`, nil, &n); err != nil || n != 2 {
				t.Errorf("entries after the refusals: %d, %v", n, err)
			}
		})
	}
}
