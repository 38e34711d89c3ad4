package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/model"
)

// TestRefreshRemoteActors shows the scheduled refresh between two Roost
// servers: alice@A follows bob@B, so B caches alice as a follower. alice
// renames herself; her Update goes to her followers, of whom B has none,
// so B keeps the old name until its refresh job fetches alice again: not
// while the cached copy is fresh, and at once when it is older than a day.
// The job is inserted directly rather than waited for.
func TestRefreshRemoteActors(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := &http.Client{Timeout: 30 * time.Second}
		alice, bob := a.apiUser(t, hc, "alice"), b.apiUser(t, hc, "bob")
		alice.must(http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{"display_name": {"Alice Old"}}, nil)
		bobOnA := alice.resolve("bob@" + b.host())
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		var aliceOnB string
		eventually(t, "alice among bob's followers on B", func() bool {
			var fs []struct{ ID, Acct string }
			bob.must(http.MethodGet, "/api/v1/accounts/"+bob.id+"/followers", nil, &fs)
			for _, f := range fs {
				if f.Acct == "alice@"+a.host() {
					aliceOnB = f.ID
					return true
				}
			}
			return false
		})
		nameOnB := func() string {
			var acct struct {
				DisplayName string `json:"display_name"`
			}
			bob.must(http.MethodGet, "/api/v1/accounts/"+aliceOnB, nil, &acct)
			return acct.DisplayName
		}
		if got := nameOnB(); got != "Alice Old" {
			t.Fatalf("alice on B is %q, want Alice Old", got)
		}

		alice.must(http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{"display_name": {"Alice New"}}, nil)
		refresh := func() {
			t.Helper()
			res, err := b.app.Queue().Insert(ctx, federation.RefreshArgs{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			eventually(t, "the refresh job to complete", func() bool { return jobState(t, b.app, res.Job.ID) == "completed" })
		}

		// Fetched moments ago: the job leaves alice alone.
		refresh()
		if got := nameOnB(); got != "Alice Old" {
			t.Fatalf("a fresh actor was refetched: alice on B is %q", got)
		}

		// A day and more later (the cached copy is made that old), the
		// job fetches her again and her new name lands on B.
		st := b.app.Store()
		id, ok := model.ParseID(aliceOnB)
		if !ok {
			t.Fatalf("account id %q", aliceOnB)
		}
		acct, err := st.Account(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ra, err := st.RemoteActor(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ra.FetchedAt = time.Now().Add(-25 * time.Hour)
		if err := st.PutRemoteActor(ctx, acct, ra); err != nil {
			t.Fatal(err)
		}
		refresh()
		if got := nameOnB(); got != "Alice New" {
			t.Errorf("after the refresh alice on B is %q, want Alice New", got)
		}
		if ra, err := st.RemoteActor(ctx, id); err != nil || time.Since(ra.FetchedAt) > time.Hour {
			t.Errorf("after the refresh: %+v, %v", ra, err)
		}
	})
}
