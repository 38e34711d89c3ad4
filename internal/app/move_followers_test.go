package app_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// TestMoveFollowersJob proves the wiring of follower migrations: with
// Roost open but its queue not working, a move returns with every local
// follower still on the old account and one roost_move_followers job
// waiting (a repeated move queues no second one); once the server serves,
// the job moves them all.
func TestMoveFollowersJob(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		cfg := loadConfig(t, append([]string{"--data-dir", t.TempDir()}, db.flags(t)...)...)
		a, err := app.Open(ctx, cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		svc := a.Service()
		user := func(name string) *model.Account {
			acct, err := svc.CreateUser(ctx, core.NewUser{Username: name, Password: "password-" + name, Approved: true})
			if err != nil {
				t.Fatal(err)
			}
			return acct
		}
		bob, eve := user("bob"), user("eve")
		var followers []*model.Account
		for _, name := range []string{"alice", "carol", "dave"} {
			f := user(name)
			if _, err := svc.Follow(ctx, &core.Auth{Account: f}, bob.ID, core.FollowOptions{}); err != nil {
				t.Fatal(err)
			}
			followers = append(followers, f)
		}
		if _, err := svc.SetAliases(ctx, &core.Auth{Account: eve}, []string{"bob"}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // a repeat queues no second job
			if _, err := svc.MoveAccount(ctx, &core.Auth{Account: bob}, "password-bob", "eve"); err != nil {
				t.Fatal(err)
			}
		}
		follows := func(f, target *model.Account) bool {
			_, err := a.Store().Follow(ctx, f.ID, target.ID)
			if err != nil && !errors.Is(err, model.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}
		for _, f := range followers {
			if !follows(f, bob) || follows(f, eve) {
				t.Fatalf("%s before the job: follows bob %v, eve %v", f.Username, follows(f, bob), follows(f, eve))
			}
		}
		if states := jobStates(t, a, "roost_move_followers"); !slices.Equal(states, []string{"available"}) {
			t.Fatalf("move jobs before serving: %v", states)
		}

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		serveCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- a.Serve(serveCtx, ln) }()
		defer func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}()
		eventually(t, "the move job completed", func() bool {
			return slices.Equal(jobStates(t, a, "roost_move_followers"), []string{"completed"})
		})
		for _, f := range followers {
			if follows(f, bob) || !follows(f, eve) {
				t.Errorf("%s after the job: follows bob %v, eve %v", f.Username, follows(f, bob), follows(f, eve))
			}
		}
	})
}

// jobStates reads the states of the jobs of a kind straight from River's
// table, in id order.
func jobStates(t *testing.T, a *app.App, kind string) []string {
	t.Helper()
	var rows interface {
		Next() bool
		Scan(...any) error
		Err() error
		Close()
	}
	switch st := a.Store().(type) {
	case interface{ Pool() *pgxpool.Pool }:
		r, err := st.Pool().Query(context.Background(), `SELECT state FROM river_job WHERE kind = $1 ORDER BY id`, kind)
		if err != nil {
			t.Fatal(err)
		}
		rows = r
	case interface{ DB() *sql.DB }:
		r, err := st.DB().Query(`SELECT state FROM river_job WHERE kind = ? ORDER BY id`, kind)
		if err != nil {
			t.Fatal(err)
		}
		rows = sqlRows{r}
	default:
		t.Fatalf("cannot reach the database of %T", st)
	}
	defer rows.Close()
	var states []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		states = append(states, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return states
}

// sqlRows gives *sql.Rows pgx's Close without a result.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }
