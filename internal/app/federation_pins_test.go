package app_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// pinRel is the part of a relationship the pins and blocks test reads.
type pinRel struct {
	Following  bool
	Requested  bool
	FollowedBy bool `json:"followed_by"`
}

// TestFederationPinsLikesBlocks proves on loopback, between two Roost
// servers and through their Mastodon APIs: a pin of a public post shows on
// the other server under pinned=true and an unpin takes it off (a
// followers-only pin never leaves); a like after an unlike counts again;
// and a block ends the follows both ways, each told to the other server
// (Reject and Undo of the follows, then the Block).
func TestFederationPinsLikesBlocks(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		alice, bob := a.apiUser(t, hc, "alice"), b.apiUser(t, hc, "bob")
		rel := func(u *fedUser, id string) pinRel {
			t.Helper()
			var rs []pinRel
			u.must(http.MethodGet, "/api/v1/accounts/relationships?id[]="+id, nil, &rs)
			if len(rs) != 1 {
				t.Fatalf("relationships with %s: %+v", id, rs)
			}
			return rs[0]
		}

		// alice@A and bob@B follow each other.
		bobOnA := alice.resolve("bob@" + b.host())
		aliceOnB := bob.resolve("alice@" + a.host())
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		bob.must(http.MethodPost, "/api/v1/accounts/"+aliceOnB+"/follow", nil, nil)
		eventually(t, "alice and bob following each other on A", func() bool {
			r := rel(alice, bobOnA)
			return r.Following && r.FollowedBy
		})
		eventually(t, "bob following alice on B", func() bool { return rel(bob, aliceOnB).Following })

		// 1. bob pins a followers-only post, then a public one: only the
		// public one shows on A; unpinned, it goes.
		priv := bob.post(url.Values{"status": {"pinned for followers"}, "visibility": {"private"}})
		pub := bob.post(url.Values{"status": {"pinned for all"}, "visibility": {"public"}})
		bob.must(http.MethodPost, "/api/v1/statuses/"+priv.ID+"/pin", nil, nil)
		bob.must(http.MethodPost, "/api/v1/statuses/"+pub.ID+"/pin", nil, nil)
		pinned := func() []fedStatus {
			var sts []fedStatus
			alice.must(http.MethodGet, "/api/v1/accounts/"+bobOnA+"/statuses?pinned=true", nil, &sts)
			return sts
		}
		var got []fedStatus
		eventually(t, "bob's pin on A", func() bool { got = pinned(); return findURI(got, pub.URI) != nil })
		if len(got) != 1 {
			t.Errorf("bob's pins on A: %+v, want the public post only", got)
		}
		bob.must(http.MethodPost, "/api/v1/statuses/"+pub.ID+"/unpin", nil, nil)
		eventually(t, "bob's unpin on A", func() bool { return len(pinned()) == 0 })

		// 2. bob likes alice's post, unlikes it, likes it again: each
		// reaches A, the last one too (a new Like id).
		post := alice.post(url.Values{"status": {"like me"}, "visibility": {"public"}})
		var onB *fedStatus
		eventually(t, "alice's post in bob's home on B", func() bool { onB = findURI(bob.home(), post.URI); return onB != nil })
		likes := func() int {
			var st fedStatus
			alice.must(http.MethodGet, "/api/v1/statuses/"+post.ID, nil, &st)
			return st.FavouritesCount
		}
		for i, step := range []struct {
			path string
			want int
		}{{"/favourite", 1}, {"/unfavourite", 0}, {"/favourite", 1}} {
			bob.must(http.MethodPost, "/api/v1/statuses/"+onB.ID+step.path, nil, nil)
			eventually(t, "favourites after step "+model.FormatID(int64(i+1)), func() bool { return likes() == step.want })
		}

		// 3. bob blocks alice, who follows him and whom he follows: on A,
		// neither follows the other any more.
		bob.must(http.MethodPost, "/api/v1/accounts/"+aliceOnB+"/block", nil, nil)
		eventually(t, "no follows either way on A", func() bool {
			r := rel(alice, bobOnA)
			return !r.Following && !r.Requested && !r.FollowedBy
		})
		if r := rel(bob, aliceOnB); r.Following || r.FollowedBy {
			t.Errorf("on B after the block: %+v", r)
		}

		// The same block seen from a bare inbox: a Reject of its actor's
		// follow, by the follow's own id, an Undo of bob's follow, and the
		// Block itself.
		in := newTestInbox(t, false)
		bobAcct, err := b.app.Store().Account(t.Context(), mustID(t, bob.id))
		if err != nil {
			t.Fatal(err)
		}
		zed := b.remoteFollower(t, in, "zed", bobAcct, false)
		if err := b.app.Store().PutFollow(t.Context(), &model.Follow{ID: model.NewID(time.Now()), AccountID: bobAcct.ID,
			TargetID: zed.ID, Reblogs: true, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		bob.must(http.MethodPost, "/api/v1/accounts/"+model.FormatID(zed.ID)+"/block", nil, nil)
		in.waitFor(t, "the Reject of zed's follow", ofType("Reject", in.URL+"/follows/zed"))
		undo := in.waitFor(t, "the Undo of bob's follow", ofType("Undo", ""))
		if _, typ := undo.object(); typ != "Follow" {
			t.Errorf("bob's Undo undoes %q, want a Follow", typ)
		}
		in.waitFor(t, "the Block", ofType("Block", in.actorURI("zed")))
		in.checkClean(t)

		for _, s := range []*server{a, b} {
			s.assertLogsClean(t, alice.tok, bob.tok, "pinned for followers", "pinned for all", "like me")
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, ok := model.ParseID(s)
	if !ok {
		t.Fatalf("bad id %q", s)
	}
	return id
}
