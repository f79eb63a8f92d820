// Package storetest is the conformance suite every mentorbook.Store passes,
// and helpers that open real, migrated stores for tests in any package.
//
// PostgreSQL tests need MENTORBOOK_TEST_POSTGRES, a URL such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable; each store gets a
// fresh schema in that database, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/sqlite"
)

// PostgresEnv names the variable holding the test database URL.
const PostgresEnv = "MENTORBOOK_TEST_POSTGRES"

// Engine is a store implementation a test can run against.
type Engine struct {
	Name string
	Open func(tb testing.TB) mentorbook.Store
}

// Engines returns SQLite and PostgreSQL. PostgreSQL's Open skips the test
// when MENTORBOOK_TEST_POSTGRES is unset.
func Engines() []Engine {
	return []Engine{
		{Name: "sqlite", Open: func(tb testing.TB) mentorbook.Store { tb.Helper(); return OpenSQLite(tb) }},
		{Name: "postgres", Open: func(tb testing.TB) mentorbook.Store { tb.Helper(); return OpenPostgres(tb) }},
	}
}

// testTimeout bounds a unit of work in tests. It is longer than the
// production default (5 s): on a loaded two-core CI machine running the
// race detector, 64 concurrent requests may queue longer than that, and
// the tests of those races are about their answers, not their latency.
// Tests of the deadline itself open their stores with their own.
const testTimeout = 30 * time.Second

// OpenSQLite returns a migrated store in a fresh file under tb.TempDir(),
// closed at cleanup.
func OpenSQLite(tb testing.TB) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "mentorbook.db"), sqlite.Options{Timeout: testTimeout})
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// OpenPostgres returns a migrated store in a fresh schema (PostgresDSN),
// closed at cleanup. Its pool allows 16 connections, so concurrency tests
// really run transactions side by side.
func OpenPostgres(tb testing.TB) *postgres.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, withParam(PostgresDSN(tb), "pool_max_conns", "16"), postgres.Options{Timeout: testTimeout})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate postgres: %v", err)
	}
	return db
}

// PostgresDSN creates an empty, uniquely named schema in the database named
// by MENTORBOOK_TEST_POSTGRES (skipping the test when it is unset), drops it
// with everything in it at cleanup, and returns a DSN whose connections use
// only that schema (search_path is sent as a runtime parameter). Stores
// opened on it share one database, like several app instances.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip("set " + PostgresEnv + "=postgres://... to run the PostgreSQL tests")
	}
	schema := "mentorbook_test_" + randomHex(8)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	// Registered before any store's Close, so it runs after them.
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withParam(base, "search_path", schema)
}

// withParam adds a parameter to a URL or keyword/value connection string.
func withParam(dsn, key, value string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " " + key + "=" + value
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// pgx will report the malformed URL when it is used.
		return dsn
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
