package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/sqlstore"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

// BenchmarkBalanceAndSummary reads a mentor's balance and the
// administrators' summary on an empty ledger and on one of a million
// entries: both read account rows only, so the times should match
// (docs/performance.md). Run with -benchtime=20x; seeding takes a while.
func BenchmarkBalanceAndSummary(b *testing.B) {
	const mentors, txs = 1000, 500_000 // two entries each: 1,000,000 entries
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			store := openPatient(b, engine)
			x := store.(interface{ Exec() *sqlstore.Exec }).Exec()
			ctx := context.Background()
			// Every mentor's accounts exist before the first measurement.
			var rows []string
			for m := 1; m <= mentors; m++ {
				for _, k := range []string{"pending", "available", "withdrawing"} {
					rows = append(rows, fmt.Sprintf("('%s', %d, 'USD', 0)", k, m))
				}
			}
			rows = append(rows, "('bank', 0, 'USD', 0)", "('fees', 0, 'USD', 0)")
			if err := x.Do(ctx, `INSERT INTO ledger_accounts (kind, owner_id, currency, balance) VALUES `+strings.Join(rows, ", ")); err != nil {
				b.Fatal(err)
			}
			measure := func(name string) {
				b.Run(name+"/balance", func(b *testing.B) {
					for b.Loop() {
						if _, err := mentorbook.ReadValue(ctx, store, func(tx mentorbook.Tx) (mentorbook.Balance, error) {
							return tx.Ledger().Balance(ctx, 7, "USD")
						}); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(name+"/summary", func(b *testing.B) {
					for b.Loop() {
						if _, err := mentorbook.ReadValue(ctx, store, func(tx mentorbook.Tx) ([]mentorbook.LedgerSummary, error) {
							return tx.Ledger().Summary(ctx)
						}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			measure("entries=0")
			seedLedger(b, x, mentors, txs)
			measure("entries=1000000")
		})
	}
}

// openPatient opens a migrated store whose units of work may take ten
// minutes: seeding a million entries in one transaction takes longer than
// the default 5 seconds.
func openPatient(b *testing.B, engine string) mentorbook.Store {
	ctx := context.Background()
	var store interface {
		mentorbook.Store
		Migrate(context.Context) error
	}
	var err error
	if engine == "sqlite" {
		store, err = sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Timeout: 10 * time.Minute})
	} else {
		store, err = postgres.Open(ctx, storetest.PostgresDSN(b), postgres.Options{Timeout: 10 * time.Minute})
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return store
}

// seedLedger writes txs confirmations (bank +100, a mentor's pending
// −100) with multi-row inserts in one transaction, and the balances they
// leave.
func seedLedger(b *testing.B, x *sqlstore.Exec, mentors, txs int) {
	ctx := context.Background()
	start := time.Now()
	ids := map[string]int64{}
	for _, k := range []string{"bank", "pending"} {
		for m := 0; m <= mentors; m++ {
			if (k == "bank") != (m == 0) {
				continue
			}
			var id int64
			if err := x.Row(ctx, `SELECT id FROM ledger_accounts WHERE kind = $1 AND owner_id = $2`, []any{k, m}, &id); err != nil {
				b.Fatal(err)
			}
			ids[fmt.Sprint(k, m)] = id
		}
	}
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	err := x.InTx(ctx, func(do func(string, ...any) error) error {
		const chunk = 1000
		pending := make([]int64, mentors+1)
		var bank int64
		for first := 1; first <= txs; first += chunk {
			var trows, erows []string
			for i := first; i < first+chunk && i <= txs; i++ {
				trows = append(trows, fmt.Sprintf("('payment_confirmed', 'payment', %d, 'USD', 'seed', $1)", i))
			}
			if err := do(`INSERT INTO ledger_transactions (kind, source_type, source_id, currency, description, created_at) VALUES `+
				strings.Join(trows, ", "), at); err != nil {
				return err
			}
			for i := first; i < first+chunk && i <= txs; i++ {
				m := i%mentors + 1
				bank += 100
				pending[m] += 100
				// Transactions get IDs 1, 2, … in this fresh database.
				erows = append(erows, fmt.Sprintf("(%d, %d, 100, %d)", i, ids["bank0"], bank),
					fmt.Sprintf("(%d, %d, -100, %d)", i, ids[fmt.Sprint("pending", m)], pending[m]))
			}
			if err := do(`INSERT INTO ledger_entries (transaction_id, account_id, amount, balance_after) VALUES ` + strings.Join(erows, ", ")); err != nil {
				return err
			}
		}
		if err := do(`UPDATE ledger_accounts SET balance = $1 WHERE id = $2`, bank, ids["bank0"]); err != nil {
			return err
		}
		for m := 1; m <= mentors; m++ {
			if err := do(`UPDATE ledger_accounts SET balance = $1 WHERE id = $2`, pending[m], ids[fmt.Sprint("pending", m)]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var n int
	if err := x.Row(ctx, `SELECT count(*) FROM ledger_entries`, nil, &n); err != nil || n != 2*txs {
		b.Fatalf("seeded %d entries, %v", n, err)
	}
	b.Logf("seeded %d entries in %s", n, time.Since(start).Round(time.Millisecond))
}
