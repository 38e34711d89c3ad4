package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// TestRetentionPurgeJob runs the purge through the real queue: an old
// cached remote status goes, a held author's stays (the hold put with
// `roost admin hold`), a fresh one stays, and the progress is recorded.
func TestRetentionPurgeJob(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		s := startServer(t, db)
		st := s.app.Store()
		long := time.Now().Add(-45 * 24 * time.Hour)
		remote := func(name string) *model.Account {
			a := &model.Account{Username: name, Domain: "far.example", URI: "https://far.example/users/" + name}
			if err := st.CreateRemoteAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		post := func(a *model.Account, at time.Time) *model.Status {
			p := &model.Status{AccountID: a.ID, URI: a.URI + "/s/" + at.Format("150405.000000"), Text: "x",
				Content: "<p>x</p>", Visibility: model.VisibilityPublic, CreatedAt: at}
			if err := st.CreateStatus(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		far, held := remote("far"), remote("held")
		old, fresh, heldOld := post(far, long), post(far, time.Now()), post(held, long.Add(time.Second))
		out := s.roost(t, "", "admin", "hold", "-username", "held@far.example", "-until", time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
		if !strings.Contains(out, "held@far.example is held until") {
			t.Errorf("hold said %q", out)
		}
		if out := s.roost(t, "", "admin", "holds"); !strings.Contains(out, model.FormatID(held.ID)) {
			t.Errorf("holds: %q", out)
		}

		res, err := s.app.Queue().Insert(ctx, retention.PurgeArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the purge job to complete", func() bool { return jobState(t, s.app, res.Job.ID) == "completed" })
		if _, err := st.Status(ctx, old.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("old remote status: %v, want purged", err)
		}
		for _, keep := range []*model.Status{fresh, heldOld} {
			if _, err := st.Status(ctx, keep.ID); err != nil {
				t.Errorf("status %d: %v, want kept", keep.ID, err)
			}
		}
		runs, err := st.RetentionRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range runs {
			if r.Category == string(retention.RemoteStatuses) {
				found = r.LastPurged == 1
			}
		}
		if !found {
			t.Errorf("progress %+v, want remote_statuses with 1 purged", runs)
		}
		if !strings.Contains(s.logs.String(), "retention: purged") {
			t.Error("no progress log line")
		}
		s.roost(t, "", "admin", "release-hold", "-username", "held@far.example")
		if h, err := st.UnderHold(ctx, held.ID, time.Now()); err != nil || h {
			t.Errorf("after release: %v, %v", h, err)
		}
	})
}

// TestAutoDeleteFederates: alice@A's auto-delete removes her old post, and
// the Delete reaches B, which had fetched the post: B's copy goes too.
// The post is written into A's store with an old date, since the API
// cannot backdate one.
func TestAutoDeleteFederates(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := &http.Client{Timeout: 30 * time.Second}
		user := func(s *server, name string) (*model.Account, *fedUser) {
			acct, tok := s.userToken(t, name)
			return acct, &fedUser{t: t, s: s, tok: tok, id: model.FormatID(acct.ID), hc: hc}
		}
		aliceAcct, alice := user(a, "alice")
		_, bob := user(b, "bob")
		aliceOnB := bob.resolve("alice@" + a.host())
		bob.must(http.MethodPost, "/api/v1/accounts/"+aliceOnB+"/follow", nil, nil)
		eventually(t, "bob following alice", func() bool { return bob.relationship(aliceOnB).Following })

		old := &model.Status{AccountID: aliceAcct.ID, Text: "old news", Content: "<p>old news</p>", Local: true,
			Visibility: model.VisibilityPublic, Language: "en", CreatedAt: time.Now().Add(-40 * 24 * time.Hour)}
		if err := a.app.Store().CreateStatus(ctx, old); err != nil {
			t.Fatal(err)
		}
		var onA struct{ URI string }
		alice.must(http.MethodGet, "/api/v1/statuses/"+model.FormatID(old.ID), nil, &onA)
		var found struct{ Statuses []struct{ ID string } }
		bob.must(http.MethodGet, "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(onA.URI), nil, &found)
		if len(found.Statuses) != 1 {
			t.Fatalf("B did not fetch the post: %+v", found)
		}
		onB := found.Statuses[0].ID

		alice.must(http.MethodPut, "/api/v1/statuses_cleanup", url.Values{"enabled": {"true"}, "min_status_age_days": {"30"}}, nil)
		res, err := a.app.Queue().Insert(ctx, retention.PurgeArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the purge job to complete", func() bool { return jobState(t, a.app, res.Job.ID) == "completed" })
		if _, err := a.app.Store().Status(ctx, old.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the post on A: %v, want deleted", err)
		}
		eventually(t, "B to delete its copy", func() bool {
			return bob.call(http.MethodGet, "/api/v1/statuses/"+onB, nil, nil) == http.StatusNotFound
		})
	})
}
