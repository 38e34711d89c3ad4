package core

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

func TestLockFor(t *testing.T) {
	th := newLoginThrottle()
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {4, 0},
		{5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute},
		{10, 32 * time.Minute}, {11, time.Hour}, {50, time.Hour},
	} {
		if got := th.lockFor(tt.failures); got != tt.want {
			t.Errorf("lockFor(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

func TestSignInThrottle(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	a := mustCreateUser(t, s, "alice")

	for i := range 5 {
		if _, _, err := s.SignIn(ctx, "alice", "wrong password"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v, want ErrBadCredentials", i+1, err)
		}
	}
	// Locked now: even the right password is refused, without saying so.
	if _, _, err := s.SignIn(ctx, "alice", "password-alice"); !errors.Is(err, model.ErrRateLimited) {
		t.Fatalf("sign-in while locked: %v, want ErrRateLimited", err)
	}
	u, _ := s.store.User(ctx, a.ID)
	if u.FailedLogins != 5 || u.LockedUntil == nil {
		t.Fatalf("user after 5 failures: failed %d, locked until %v", u.FailedLogins, u.LockedUntil)
	}
	clock.Advance(61 * time.Second)
	// One more wrong guess locks for longer.
	if _, _, err := s.SignIn(ctx, "alice", "still wrong"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("after the lock: %v", err)
	}
	clock.Advance(61 * time.Second)
	if _, _, err := s.SignIn(ctx, "alice", "password-alice"); !errors.Is(err, model.ErrRateLimited) {
		t.Fatalf("second lock should last two minutes: %v", err)
	}
	clock.Advance(61 * time.Second)
	if _, _, err := s.SignIn(ctx, "alice", "password-alice"); err != nil {
		t.Fatalf("sign-in after the lock: %v", err)
	}
	u, _ = s.store.User(ctx, a.ID)
	if u.FailedLogins != 0 || u.LockedUntil != nil {
		t.Errorf("a good sign-in did not reset the throttle: %d, %v", u.FailedLogins, u.LockedUntil)
	}
	if u.LastSignInDay != clock.Now().UTC().Format("2006-01-02") {
		t.Errorf("LastSignInDay = %q", u.LastSignInDay)
	}
}

func TestSignInThrottleIsPerAccount(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mustCreateUser(t, s, "alice")
	mustCreateUser(t, s, "bob")
	for range 6 {
		_, _, _ = s.SignIn(ctx, "alice", "nope nope")
	}
	if _, _, err := s.SignIn(ctx, "bob", "password-bob"); err != nil {
		t.Fatalf("bob is throttled by alice's failures: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "nobody", "password"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown user: %v, want ErrBadCredentials", err)
	}
}

func TestSignInParallelGuessesAllCount(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	a := mustCreateUser(t, s, "alice")
	s.login.free = 1000 // count without locking
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() { _, _, _ = s.SignIn(ctx, "alice", "parallel guess") })
	}
	wg.Wait()
	u, err := s.store.User(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.FailedLogins != 12 {
		t.Fatalf("FailedLogins = %d after 12 parallel failures: updates were lost", u.FailedLogins)
	}
	if len(s.login.locks) != 0 {
		t.Errorf("%d per-account locks left behind", len(s.login.locks))
	}
}

func TestSignInByEmailAndHandle(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	a, err := s.CreateUser(ctx, NewUser{Username: "carol", Email: " Carol@Example.org ", Password: "password-carol", Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"carol", "CAROL", "@carol", "carol@roost.test", "carol@example.org", "CAROL@EXAMPLE.ORG"} {
		got, _, err := s.SignIn(ctx, login, "password-carol")
		if err != nil || got.ID != a.ID {
			t.Errorf("SignIn(%q) = %v, %v", login, got, err)
		}
	}
	if _, _, err := s.SignIn(ctx, "carol@elsewhere.org", "password-carol"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a remote handle signed in: %v", err)
	}
}
