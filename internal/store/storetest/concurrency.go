package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Concurrency: many writers at once, as a busy server has them. Each
// counter family is changed by goroutines released together, adding and
// removing the same rows, and must end equal to the rows that are left.
// PostgreSQL runs these at READ COMMITTED, where a counter derived from
// what one statement saw can miss what another transaction commits.

// writers is how many goroutines a test releases at once: more than a
// connection pool usually holds.
const writers = 32

// rounds is how often a test repeats its race, to give it a chance to
// happen.
const rounds = 8

// together runs fn(0) ... fn(n-1) in goroutines released at once and waits
// for them all.
func together(n int, fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

// accounts creates n accounts named prefix0, prefix1, ...
func (f *fx) accounts(prefix string, n int) []*model.Account {
	f.t.Helper()
	out := make([]*model.Account, n)
	for i := range out {
		out[i] = f.account(fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

func boostOf(booster *model.Account, st *model.Status) *model.Status {
	return &model.Status{AccountID: booster.ID, ReblogOfID: st.ID, Visibility: model.VisibilityPublic, Local: true}
}

// keyedCount pages through a keyed listing and counts its rows.
func keyedCount[T any](f *fx, list func(p store.Page) ([]store.Keyed[T], error)) int {
	f.t.Helper()
	n, p := 0, store.Page{Limit: 40}
	for {
		l, err := list(p)
		f.must(err)
		n += len(l)
		if len(l) < p.Limit {
			return n
		}
		p.MaxID = l[len(l)-1].Key
	}
}

// ownStatuses counts the statuses an account's statuses_count counts (all
// but direct ones), read through its own profile listing.
func (f *fx) ownStatuses(a *model.Account) int {
	f.t.Helper()
	n, p := 0, store.Page{Limit: 40}
	for {
		l, err := f.s.AccountStatuses(f.ctx, a.ID, a.ID, store.StatusFilter{}, p)
		f.must(err)
		for _, st := range l {
			if st.Visibility != model.VisibilityDirect {
				n++
			}
		}
		if len(l) < p.Limit {
			return n
		}
		p.MaxID = l[len(l)-1].ID
	}
}

// statusCountsTrue checks the counters of st against its rows.
func (f *fx) statusCountsTrue(what string, st *model.Status) {
	f.t.Helper()
	got := f.status(st.ID)
	favs := keyedCount(f, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.FavouritedBy(f.ctx, st.ID, p)
	})
	boosts := keyedCount(f, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.RebloggedBy(f.ctx, st.ID, p)
	})
	desc, err := f.s.Descendants(f.ctx, st.ID, 0)
	f.must(err)
	replies := 0
	for _, r := range desc {
		if r.InReplyToID == st.ID && distributable(r) {
			replies++
		}
	}
	if got.FavouritesCount != favs || got.ReblogsCount != boosts || got.RepliesCount != replies {
		f.t.Errorf("%s: counters (favourites, reblogs, replies) = (%d, %d, %d), rows (%d, %d, %d)", what,
			got.FavouritesCount, got.ReblogsCount, got.RepliesCount, favs, boosts, replies)
	}
}

func distributable(st *model.Status) bool {
	return st.Visibility == model.VisibilityPublic || st.Visibility == model.VisibilityUnlisted
}

// accountCountsTrue checks an account's follow and status counters against
// its rows.
func (f *fx) accountCountsTrue(what string, a *model.Account) {
	f.t.Helper()
	got := f.reload(a)
	followers := keyedCount(f, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Followers(f.ctx, a.ID, p)
	})
	following := keyedCount(f, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Following(f.ctx, a.ID, p)
	})
	statuses := f.ownStatuses(a)
	if got.FollowersCount != followers || got.FollowingCount != following || got.StatusesCount != statuses {
		f.t.Errorf("%s: %s's counters (followers, following, statuses) = (%d, %d, %d), rows (%d, %d, %d)", what,
			a.Username, got.FollowersCount, got.FollowingCount, got.StatusesCount, followers, following, statuses)
	}
}

// testParallelWritesFromCold has many writers favourite and boost one
// status at once on a store that has run none of those writes before, then
// undo it all at once. Every write succeeds, promptly: a store must not
// need a second connection inside a transaction (on SQLite, with every
// connection taken by writers queued for the lock, that waits until the
// queued writers time out).
func testParallelWritesFromCold(t *testing.T, f *fx) {
	author := f.account("coldauthor")
	st := f.post(author, model.VisibilityPublic)
	fans := f.accounts("coldfan", writers/2)
	boosts := make([]*model.Status, len(fans))
	start := time.Now()
	together(writers, func(i int) {
		fan := fans[i/2]
		var err error
		if i%2 == 0 {
			_, err = f.s.AddFavourite(f.ctx, fan.ID, st.ID)
		} else {
			boosts[i/2] = boostOf(fan, st)
			err = f.s.CreateStatus(f.ctx, boosts[i/2])
		}
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	})
	f.threadCounts(st, 0, len(fans), len(fans))
	together(writers, func(i int) {
		fan := fans[i/2]
		var err error
		if i%2 == 0 {
			_, err = f.s.RemoveFavourite(f.ctx, fan.ID, st.ID)
		} else {
			err = f.s.DeleteStatus(f.ctx, boosts[i/2].ID)
		}
		if err != nil {
			t.Errorf("undoing writer %d: %v", i, err)
		}
	})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d writers took %v: they waited on each other", 2*writers, d.Round(time.Millisecond))
	}
	f.threadCounts(st, 0, 0, 0)
}

// testConcurrentFavourites: the same favourite added and removed by many
// goroutines at once, and many accounts' favourites removed at once.
func testConcurrentFavourites(t *testing.T, f *fx) {
	author, fan := f.account("favauthor"), f.account("favfan")
	st := f.post(author, model.VisibilityPublic)
	for r := range rounds {
		together(writers, func(i int) {
			var err error
			if i%2 == 0 {
				_, err = f.s.AddFavourite(f.ctx, fan.ID, st.ID)
			} else {
				_, err = f.s.RemoveFavourite(f.ctx, fan.ID, st.ID)
			}
			if err != nil {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.statusCountsTrue(fmt.Sprintf("same favourite, round %d", r), st)
	}
	fans := f.accounts("favs", 8)
	for _, a := range fans {
		_, err := f.s.AddFavourite(f.ctx, a.ID, st.ID)
		f.must(err)
	}
	together(len(fans)*2, func(i int) {
		if _, err := f.s.RemoveFavourite(f.ctx, fans[i/2].ID, st.ID); err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	})
	f.statusCountsTrue("all favourites removed", st)
}

// testConcurrentBoosts: the same boost made and undone by many goroutines
// at once, and one boost deleted by many at once (the counter must not go
// below its rows).
func testConcurrentBoosts(t *testing.T, f *fx) {
	author, fan := f.account("boostauthor"), f.account("boostfan")
	st := f.post(author, model.VisibilityPublic)
	for r := range rounds {
		together(writers, func(i int) {
			var err error
			if i%2 == 0 {
				err = f.s.CreateStatus(f.ctx, boostOf(fan, st))
				if errors.Is(err, model.ErrConflict) {
					err = nil // boosted already
				}
			} else {
				var b *model.Status
				if b, err = f.s.ReblogBy(f.ctx, fan.ID, st.ID); err == nil {
					err = f.s.DeleteStatus(f.ctx, b.ID)
				}
				if isNotFound(err) {
					err = nil // not boosted, or undone meanwhile
				}
			}
			if err != nil {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.statusCountsTrue(fmt.Sprintf("same boost, round %d", r), st)
		f.accountCountsTrue(fmt.Sprintf("same boost, round %d", r), fan)
	}
	for r := range rounds {
		b := boostOf(fan, st)
		if _, err := f.s.ReblogBy(f.ctx, fan.ID, st.ID); isNotFound(err) {
			f.must(f.s.CreateStatus(f.ctx, b))
		} else {
			f.must(err)
			b, _ = f.s.ReblogBy(f.ctx, fan.ID, st.ID)
		}
		together(writers/4, func(i int) {
			if err := f.s.DeleteStatus(f.ctx, b.ID); err != nil && !isNotFound(err) {
				t.Errorf("round %d, deleting %d: %v", r, i, err)
			}
		})
		f.statusCountsTrue(fmt.Sprintf("one boost deleted at once, round %d", r), st)
		f.accountCountsTrue(fmt.Sprintf("one boost deleted at once, round %d", r), fan)
	}
}

// testConcurrentReplies: replies posted and deleted at once, each deleted
// by several goroutines; and a status deleted while it is being boosted and
// unboosted.
func testConcurrentReplies(t *testing.T, f *fx) {
	author := f.account("replyauthor")
	fans := f.accounts("replier", 4)
	st := f.post(author, model.VisibilityPublic)
	for r := range rounds {
		replies := make([]*model.Status, len(fans))
		for i, a := range fans {
			replies[i] = f.post(a, model.VisibilityPublic, replyTo(st))
		}
		together(writers, func(i int) {
			var err error
			switch j := i % len(fans); i / len(fans) % 2 {
			case 0: // several goroutines delete the same reply
				err = f.s.DeleteStatus(f.ctx, replies[j].ID)
			default: // while others post new ones
				err = f.s.CreateStatus(f.ctx, &model.Status{AccountID: fans[j].ID, Text: "re", Content: "re",
					Visibility: model.VisibilityUnlisted, InReplyToID: st.ID, InReplyToAccountID: author.ID, Local: true})
			}
			if err != nil && !isNotFound(err) {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.statusCountsTrue(fmt.Sprintf("replies, round %d", r), st)
		for _, a := range fans {
			f.accountCountsTrue(fmt.Sprintf("replies, round %d", r), a)
		}
	}

	// Deleting a status while its boosts come and go.
	for r := range rounds {
		orig := f.post(author, model.VisibilityPublic)
		for _, a := range fans[:2] {
			f.must(f.s.CreateStatus(f.ctx, boostOf(a, orig)))
		}
		together(len(fans)*2, func(i int) {
			a := fans[i%len(fans)]
			var err error
			switch {
			case i == 0:
				err = f.s.DeleteStatus(f.ctx, orig.ID)
			case i%2 == 0:
				var b *model.Status
				if b, err = f.s.ReblogBy(f.ctx, a.ID, orig.ID); err == nil {
					err = f.s.DeleteStatus(f.ctx, b.ID)
				}
			default:
				err = f.s.CreateStatus(f.ctx, boostOf(a, orig))
			}
			if err != nil && !isNotFound(err) && !errors.Is(err, model.ErrConflict) {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		if _, err := f.s.Status(f.ctx, orig.ID); !isNotFound(err) {
			t.Errorf("round %d: the deleted status is still there: %v", r, err)
		}
		f.accountCountsTrue(fmt.Sprintf("boosts of a deleted status, round %d", r), author)
		for _, a := range fans {
			f.accountCountsTrue(fmt.Sprintf("boosts of a deleted status, round %d", r), a)
		}
	}
}

// testConcurrentFollows: the same follow made and undone by many goroutines
// at once; many followers leaving one account at once; requests accepted,
// withdrawn and blocked at once.
func testConcurrentFollows(t *testing.T, f *fx) {
	target, fan := f.account("followtarget"), f.account("followfan")
	for r := range rounds {
		together(writers, func(i int) {
			var err error
			if i%2 == 0 {
				err = f.s.PutFollow(f.ctx, &model.Follow{AccountID: fan.ID, TargetID: target.ID, Reblogs: true})
			} else {
				_, err = f.s.DeleteFollow(f.ctx, fan.ID, target.ID)
			}
			if err != nil {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.accountCountsTrue(fmt.Sprintf("same follow, round %d", r), target)
		f.accountCountsTrue(fmt.Sprintf("same follow, round %d", r), fan)
	}

	fans := f.accounts("follower", 8)
	for r := range rounds {
		for _, a := range fans {
			f.follow(a, target)
		}
		together(len(fans)*2, func(i int) { // each unfollows twice
			if _, err := f.s.DeleteFollow(f.ctx, fans[i/2].ID, target.ID); err != nil {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.accountCountsTrue(fmt.Sprintf("all unfollowed, round %d", r), target)
	}

	for r := range rounds {
		for _, a := range fans {
			f.request(a, target)
		}
		together(len(fans)*4, func(i int) {
			a := fans[i%len(fans)]
			var err error
			switch i / len(fans) {
			case 0, 1:
				if err = f.s.AcceptFollow(f.ctx, a.ID, target.ID); isNotFound(err) {
					err = nil // accepted or gone meanwhile
				}
			case 2:
				if a == fans[0] {
					err = f.s.PutBlock(f.ctx, target.ID, a.ID)
				} else {
					err = f.s.PutFollow(f.ctx, &model.Follow{AccountID: a.ID, TargetID: target.ID, Notify: true})
				}
			default:
				_, err = f.s.DeleteFollow(f.ctx, a.ID, target.ID)
			}
			if err != nil {
				t.Errorf("round %d, writer %d: %v", r, i, err)
			}
		})
		f.accountCountsTrue(fmt.Sprintf("requests, round %d", r), target)
		for _, a := range fans {
			f.accountCountsTrue(fmt.Sprintf("requests, round %d", r), a)
		}
		f.must(f.s.DeleteBlock(f.ctx, target.ID, fans[0].ID))
	}
}
