package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// recordingMoveQueue remembers the migrations it was asked to start, or
// fails with err; it runs none (a queue that is not working).
type recordingMoveQueue struct {
	mu    sync.Mutex
	moves [][2]int64
	err   error
}

func (q *recordingMoveQueue) EnqueueMove(_ context.Context, originID, targetID int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	q.moves = append(q.moves, [2]int64{originID, targetID})
	return nil
}

func (q *recordingMoveQueue) queued() [][2]int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.moves)
}

// runMigration runs a queued migration as the job does: steps of n from
// after until none is left. It returns what each step moved.
func runMigration(t *testing.T, s *Service, originID, targetID, after int64, n int) []int {
	t.Helper()
	var moved []int
	for {
		b, err := s.MigrateFollowersBatch(context.Background(), originID, targetID, after, n)
		if err != nil {
			t.Fatalf("step after %d: %v", after, err)
		}
		moved = append(moved, b.Moved)
		if b.Next == 0 {
			return moved
		}
		if b.Next <= after {
			t.Fatalf("step after %d goes back to %d", after, b.Next)
		}
		after = b.Next
	}
}

// localMoveEnv is a local account bob with many local followers, and
// eve, who lists bob as an alias: bob may move to eve. Followers and
// events are recorded; the move queue records and runs nothing.
type localMoveEnv struct {
	t         *testing.T
	ctx       context.Context
	s         *Service
	pub       *recordingPublisher
	q         *recordingMoveQueue
	bob, eve  *model.Account
	followers []*model.Account
}

func newLocalMoveEnv(t *testing.T, followers int) *localMoveEnv {
	t.Helper()
	e := &localMoveEnv{t: t, ctx: context.Background(), s: newTestService(t), pub: &recordingPublisher{},
		q: &recordingMoveQueue{}}
	e.bob, e.eve = mustCreateUser(t, e.s, "bob"), mustCreateUser(t, e.s, "eve")
	for i := range followers {
		f := mustCreateUser(t, e.s, fmt.Sprintf("f%03d", i))
		// Reblogs and notify vary, to see them carried over.
		if err := e.s.store.PutFollow(e.ctx, &model.Follow{ID: model.NewID(e.s.now()), AccountID: f.ID,
			TargetID: e.bob.ID, Reblogs: i%2 == 0, Notify: i%3 == 0}); err != nil {
			t.Fatal(err)
		}
		e.followers = append(e.followers, f)
	}
	if _, err := e.s.SetAliases(e.ctx, &Auth{Account: e.eve}, []string{"bob"}); err != nil {
		t.Fatal(err)
	}
	e.s.SetPublisher(e.pub)
	e.s.SetMoveQueue(e.q)
	return e
}

// move moves bob to eve and checks that the migration was queued, not run.
func (e *localMoveEnv) move() {
	e.t.Helper()
	if _, err := e.s.MoveAccount(e.ctx, &Auth{Account: e.bob}, "password-bob", "eve"); err != nil {
		e.t.Fatal(err)
	}
	if q := e.q.queued(); len(q) == 0 || q[len(q)-1] != [2]int64{e.bob.ID, e.eve.ID} {
		e.t.Fatalf("queued migrations %v", q)
	}
}

// counts returns how many accounts follow bob and eve.
func (e *localMoveEnv) counts() (bob, eve int) {
	e.t.Helper()
	b, err := e.s.store.FollowerIDs(e.ctx, e.bob.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := e.s.store.FollowerIDs(e.ctx, e.eve.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(b), len(v)
}

// follow returns a's follow of b, or nil.
func (e *localMoveEnv) follow(a, b *model.Account) *model.Follow {
	e.t.Helper()
	f, err := e.s.store.Follow(e.ctx, a.ID, b.ID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

// countEvents counts the published events of kind about target.
func (e *localMoveEnv) countEvents(kind EventKind, target *model.Account) int {
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	n := 0
	for _, ev := range e.pub.events {
		if ev.Kind == kind && ev.TargetID == target.ID {
			n++
		}
	}
	return n
}

// TestMoveFollowersInBatches: a local account with 250 local followers
// moves; MoveAccount returns with every follower still on the old
// account and the migration queued; the job's steps of 100 then move
// 100, 100 and 50 followers, each keeping its reblogs and notify choices;
// walking again moves no one and sends nothing.
func TestMoveFollowersInBatches(t *testing.T) {
	e := newLocalMoveEnv(t, 250)
	e.move()
	if b, v := e.counts(); b != 250 || v != 0 {
		t.Fatalf("after MoveAccount returned: bob has %d followers, eve %d; want 250, 0", b, v)
	}
	var after int64
	wantMoved := []int{100, 100, 50}
	wantBob, wantEve := []int{150, 50, 0}, []int{100, 200, 250}
	for step := 0; ; step++ {
		b, err := e.s.MigrateFollowersBatch(e.ctx, e.bob.ID, e.eve.ID, after, MoveBatchSize)
		if err != nil {
			t.Fatal(err)
		}
		if step >= len(wantMoved) {
			t.Fatalf("step %d: more than %d steps", step+1, len(wantMoved))
		}
		nb, ne := e.counts()
		if b.Moved != wantMoved[step] || nb != wantBob[step] || ne != wantEve[step] {
			t.Errorf("step %d moved %d (bob %d, eve %d followers); want %d (%d, %d)",
				step+1, b.Moved, nb, ne, wantMoved[step], wantBob[step], wantEve[step])
		}
		if b.Next == 0 {
			if step != len(wantMoved)-1 {
				t.Errorf("done after %d steps, want %d", step+1, len(wantMoved))
			}
			break
		}
		after = b.Next
	}
	for i, f := range e.followers {
		nf := e.follow(f, e.eve)
		if nf == nil || nf.Pending || nf.Reblogs != (i%2 == 0) || nf.Notify != (i%3 == 0) || e.follow(f, e.bob) != nil {
			t.Fatalf("%s after the move: follow of eve %+v, still follows bob %v", f.Username, nf, e.follow(f, e.bob) != nil)
		}
	}
	if n, m := e.countEvents(EventFollowed, e.eve), e.countEvents(EventUnfollowed, e.bob); n != 250 || m != 250 {
		t.Errorf("events: %d follows of eve, %d unfollows of bob; want 250 each", n, m)
	}
	events := len(e.pub.kinds())
	if moved := runMigration(t, e.s, e.bob.ID, e.eve.ID, 0, MoveBatchSize); !slices.Equal(moved, []int{0}) {
		t.Errorf("walking again moved %v", moved)
	}
	if len(e.pub.kinds()) != events {
		t.Errorf("walking again published %v", e.pub.kinds()[events:])
	}
}

// TestMoveFollowersResume is the crash property: however a migration is
// interrupted (after some steps, or between a follower's follow of the
// new account and its unfollow of the old), starting the walk over from
// the beginning, and running it again, ends in the same state as one clean
// run: every follower that can move follows the new account once, and no
// longer the old; those that block it stay; no follow is sent twice.
func TestMoveFollowersResume(t *testing.T) {
	const n, size = 60, 25
	for _, crashAfter := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("after %d steps", crashAfter), func(t *testing.T) {
			e := newLocalMoveEnv(t, n)
			kept := map[int64]bool{}
			for i, f := range e.followers {
				if i%7 == 3 { // blocks eve: keeps following bob
					if err := e.s.store.PutBlock(e.ctx, f.ID, e.eve.ID); err != nil {
						t.Fatal(err)
					}
					kept[f.ID] = true
				}
			}
			half := e.followers[40] // caught half-way: follows eve already, still bob
			if _, err := e.s.Follow(e.ctx, &Auth{Account: half}, e.eve.ID, FollowOptions{}); err != nil {
				t.Fatal(err)
			}
			e.move()
			var after int64
			for range crashAfter {
				b, err := e.s.MigrateFollowersBatch(e.ctx, e.bob.ID, e.eve.ID, after, size)
				if err != nil {
					t.Fatal(err)
				}
				after = b.Next
			}
			// The job starts over (its walk was in memory); a second run
			// of it, as after a rescue, finds nothing more to do.
			runMigration(t, e.s, e.bob.ID, e.eve.ID, 0, size)
			if moved := runMigration(t, e.s, e.bob.ID, e.eve.ID, 0, size); slices.ContainsFunc(moved, func(m int) bool { return m != 0 }) {
				t.Errorf("a second run moved %v", moved)
			}
			for _, f := range e.followers {
				onBob, onEve := e.follow(f, e.bob) != nil, e.follow(f, e.eve) != nil
				if onBob != kept[f.ID] || onEve == kept[f.ID] {
					t.Errorf("%s (kept %v): follows bob %v, eve %v", f.Username, kept[f.ID], onBob, onEve)
				}
			}
			movable := n - len(kept)
			if b, v := e.counts(); b != len(kept) || v != movable {
				t.Errorf("bob has %d followers, eve %d; want %d, %d", b, v, len(kept), movable)
			}
			// half asked to follow eve before the move; the migration sent
			// the others' follows once each.
			if f, u := e.countEvents(EventFollowed, e.eve), e.countEvents(EventUnfollowed, e.bob); f != movable || u != movable {
				t.Errorf("events: %d follows of eve, %d unfollows of bob; want %d each", f, u, movable)
			}
		})
	}
}

// TestInboxMoveQueued: an incoming Move is recorded and answered before
// any follower moves; the queued migration then moves them. When the
// queue fails, the inbox fails too (the sender retries, 500), with the
// move already recorded; the retry queues it.
func TestInboxMoveQueued(t *testing.T) {
	e := newMoveEnv(t)
	q := &recordingMoveQueue{err: errors.New("queue down")}
	e.s.SetMoveQueue(q)
	e.serveNewBob(bobURI)
	err := e.recv(e.bob, moveBody(bobURI, bobURI, newBobURI))
	if err == nil || errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid) {
		t.Fatalf("move with the queue down: %v, want a failure the sender retries", err)
	}
	q.err = nil
	e.mustRecv(e.bob, moveBody(bobURI, bobURI, newBobURI))
	if got := q.queued(); !slices.Equal(got, [][2]int64{{e.bob.ID, e.newbob.ID}}) {
		t.Fatalf("queued %v", got)
	}
	if !e.follows(e.alice, e.bob) || e.follows(e.alice, e.newbob) || len(e.pub.kinds()) != 0 {
		t.Fatalf("before the job: alice follows bob %v, newbob %v; events %v",
			e.follows(e.alice, e.bob), e.follows(e.alice, e.newbob), e.pub.kinds())
	}
	if bob, err := e.s.store.Account(e.ctx, e.bob.ID); err != nil || bob.MovedToID != e.newbob.ID {
		t.Errorf("bob after the Move: %+v, %v", bob, err)
	}
	if moved := runMigration(t, e.s, e.bob.ID, e.newbob.ID, 0, MoveBatchSize); !slices.Equal(moved, []int{1}) {
		t.Errorf("steps moved %v, want [1] (alice; carol blocks newbob)", moved)
	}
	if !e.follows(e.alice, e.newbob) || e.follows(e.alice, e.bob) || !e.follows(e.carol, e.bob) || e.follows(e.carol, e.newbob) {
		t.Errorf("after the job: alice follows bob %v, newbob %v; carol bob %v, newbob %v",
			e.follows(e.alice, e.bob), e.follows(e.alice, e.newbob), e.follows(e.carol, e.bob), e.follows(e.carol, e.newbob))
	}
}

// TestMoveFollowersSuperseded: a migration whose move is no longer the
// recorded one (the account moved on elsewhere, or came back) moves no
// one; the recorded move's own migration does.
func TestMoveFollowersSuperseded(t *testing.T) {
	e := newMoveEnv(t)
	e.s.SetMoveQueue(&recordingMoveQueue{})
	e.serveNewBob(bobURI)
	e.mustRecv(e.bob, moveBody(bobURI, bobURI, newBobURI))
	other := e.remote("other.example", "otherbob")
	if err := e.s.store.SetMove(e.ctx, &store.AccountMove{AccountID: e.bob.ID, TargetID: other.ID, TargetURI: other.URI}); err != nil {
		t.Fatal(err)
	}
	if b, err := e.s.MigrateFollowersBatch(e.ctx, e.bob.ID, e.newbob.ID, 0, MoveBatchSize); err != nil || b != (MoveBatch{}) {
		t.Errorf("superseded migration: %+v, %v", b, err)
	}
	if err := e.s.store.DeleteMove(e.ctx, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	if b, err := e.s.MigrateFollowersBatch(e.ctx, e.bob.ID, other.ID, 0, MoveBatchSize); err != nil || b != (MoveBatch{}) {
		t.Errorf("migration of a move undone: %+v, %v", b, err)
	}
	if !e.follows(e.alice, e.bob) || e.follows(e.alice, e.newbob) || e.follows(e.alice, other) {
		t.Error("a superseded migration moved alice")
	}
}
