package storetest_test

import (
	"testing"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

func TestEnginesOpenEmptyStores(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			a, b := eng.Open(t), eng.Open(t)
			u := mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC"}
			if _, err := (storetest.Ops{Store: a}).CreateUser(t.Context(), u, "h"); err != nil {
				t.Fatal(err)
			}
			// A second store is separate: the same email is free there.
			if _, err := (storetest.Ops{Store: b}).CreateUser(t.Context(), u, "h"); err != nil {
				t.Errorf("second store: %v", err)
			}
		})
	}
}

// Two stores opened on one PostgresDSN share the schema, like two app
// instances.
func TestPostgresDSNIsSharedByItsStores(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	u, err := storetest.Ops{Store: dbs[0]}.CreateUser(t.Context(), mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC"}, "h")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := (storetest.Ops{Store: dbs[1]}).UserByID(t.Context(), u.ID); err != nil || got.Email != u.Email {
		t.Errorf("other instance: UserByID = %+v, %v", got, err)
	}
}
