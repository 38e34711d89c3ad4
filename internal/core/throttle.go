package core

import (
	"sync"
	"time"
)

// loginThrottle slows password guessing, per account and never per address.
// The count of failures and the lock's end live on the user (FailedLogins,
// LockedUntil), so they survive a restart; the throttle holds the policy and
// serializes attempts on one account, so that parallel guesses cannot all
// slip in before the count goes up.
type loginThrottle struct {
	free int           // failures allowed before the account locks
	base time.Duration // the first lock
	max  time.Duration // locks double per further failure up to this

	mu    sync.Mutex
	locks map[int64]*accountLock
}

type accountLock struct {
	mu   sync.Mutex
	refs int
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{free: 5, base: time.Minute, max: time.Hour, locks: map[int64]*accountLock{}}
}

// lockFor is how long the account stays locked after its failures-th
// failure in a row: nothing for the first free-1, then base, doubling.
func (t *loginThrottle) lockFor(failures int) time.Duration {
	if failures < t.free {
		return 0
	}
	d := t.base
	for i := t.free; i < failures && d < t.max; i++ {
		d *= 2
	}
	return min(d, t.max)
}

// hold serializes sign-in attempts on one account until the returned
// function is called.
func (t *loginThrottle) hold(accountID int64) (release func()) {
	t.mu.Lock()
	l := t.locks[accountID]
	if l == nil {
		l = &accountLock{}
		t.locks[accountID] = l
	}
	l.refs++
	t.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		t.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(t.locks, accountID)
		}
		t.mu.Unlock()
	}
}
