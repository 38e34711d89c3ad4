package core

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/store/storetest"
)

// BenchmarkHomeTimeline measures a 20-status page of the home timeline
// through the Service on SQLite, as the API reads it: the store's query and
// decryption, then the visibility check and the hydration of boosts,
// authors, mentioned accounts, relationships and the viewer's flags. The
// fixture is the store benchmarks' (issue 2's target: a viewer following
// 200 accounts, 100,000 statuses).
func BenchmarkHomeTimeline(b *testing.B) {
	s := newTestService(b)
	fx := storetest.BuildHomeFixture(b, storetest.Harness{Store: s.store, Vault: s.vault})
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		viewer int64
		p      store.Page
	}{
		{"first", fx.Viewer, store.Page{Limit: 20}},
		{"deep", fx.Viewer, store.Page{Limit: 20, MaxID: fx.Middle}},
		{"sparse", fx.Sparse, store.Page{Limit: 20}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l, err := s.HomeTimeline(ctx, c.viewer, c.p)
				if err != nil || len(l.Items) != 20 {
					b.Fatalf("home timeline: %v items, %v", l, err)
				}
			}
		})
	}
}

// BenchmarkCreateStatus measures posting through the Service on SQLite: a
// 200-character status with a mention and two hashtags, by an author with
// 200 followers of whom 10 asked to be notified. Each post renders the
// text, stores it and sends 11 notifications (the mention and 10 "status").
func BenchmarkCreateStatus(b *testing.B) {
	s := newTestService(b)
	ctx := context.Background()
	author := benchAccount(b, s, "author")
	friend := benchAccount(b, s, "friend")
	fans := make([]*model.Account, 200)
	for i := range fans {
		fans[i] = benchAccount(b, s, fmt.Sprintf("fan%d", i))
		f := &model.Follow{AccountID: fans[i].ID, TargetID: author.ID, Reblogs: true, Notify: i%20 == 0}
		if err := s.store.PutFollow(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	text := "Hello @friend, a status for #bench and #roost. "
	text += strings.Repeat("lorem ipsum dolor sit amet ", 8)[:200-len(text)]
	b.ReportAllocs()
	for b.Loop() {
		v, err := s.PostStatus(ctx, author, NewStatus{Text: text})
		if err != nil {
			b.Fatal(err)
		}
		if len(v.Mentions) != 1 || len(v.Status.Tags) != 2 {
			b.Fatalf("posted %d mentions and tags %v", len(v.Mentions), v.Status.Tags)
		}
	}
	b.StopTimer()
	for _, c := range []struct {
		who  *model.Account
		want bool
	}{{friend, true}, {fans[0], true}, {fans[1], false}} {
		n, err := s.store.Notifications(ctx, c.who.ID, store.NotificationFilter{}, store.Page{Limit: 1})
		if err != nil || (len(n) > 0) != c.want {
			b.Fatalf("%s has %d notifications (%v), want some: %v", c.who.Username, len(n), err, c.want)
		}
	}
}

// benchAccount creates an approved local user through the store, skipping
// password hashing, which the benchmarks do not measure.
func benchAccount(b *testing.B, s *Service, name string) *model.Account {
	b.Helper()
	a := &model.Account{Username: name, DisplayName: name, Discoverable: true}
	u := &model.User{Role: model.RoleUser, Approved: true, Locale: "en"}
	if err := s.store.CreateLocalAccount(context.Background(), a, u); err != nil {
		b.Fatal(err)
	}
	return a
}
