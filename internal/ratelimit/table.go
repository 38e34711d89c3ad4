package ratelimit

import (
	"container/list"
	"sync"
	"time"
)

// Key is what the Guard files a client under: an HMAC-SHA-256 digest, never
// the address or token it was made from.
type Key [32]byte

// Window is a limit on requests per period. Windows are fixed and aligned
// to multiples of Period since the Unix epoch, as Rack::Attack's are, so
// every client's window of one rule ends at the same moment.
type Window struct {
	Limit  int
	Period time.Duration
}

// Result is the state of one key's window after a request was counted.
type Result struct {
	Allowed   bool
	Limit     int
	Remaining int
	Reset     time.Time // end of the current window
}

// counter is one key's count in its current window.
type counter struct {
	key    Key
	window int64 // index of the window the count belongs to
	count  int
}

// table holds the counters of one rule: at most max keys, in the order
// their windows started, so that the oldest is dropped first.
type table struct {
	w   Window
	max int

	mu    sync.Mutex
	byKey map[Key]*list.Element // of *counter
	order *list.List            // oldest window first
}

func newTable(w Window, max int) *table {
	return &table{w: w, max: max, byKey: make(map[Key]*list.Element), order: list.New()}
}

// take counts one request for k at now, unless its window is already full.
func (t *table) take(k Key, now time.Time) Result {
	win := now.UnixNano() / int64(t.w.Period)
	reset := time.Unix(0, (win+1)*int64(t.w.Period)).UTC()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dropExpired(win)
	e, ok := t.byKey[k]
	if !ok {
		for t.order.Len() >= t.max {
			t.remove(t.order.Front())
		}
		e = t.order.PushBack(&counter{key: k, window: win})
		t.byKey[k] = e
	}
	c := e.Value.(*counter)
	if c.window != win {
		c.window, c.count = win, 0
		t.order.MoveToBack(e)
	}
	if c.count >= t.w.Limit {
		return Result{Limit: t.w.Limit, Reset: reset}
	}
	c.count++
	return Result{Allowed: true, Limit: t.w.Limit, Remaining: t.w.Limit - c.count, Reset: reset}
}

// dropExpired removes the counters whose window ended before win: they are
// at the front, since a counter moves to the back when its window starts.
func (t *table) dropExpired(win int64) {
	for e := t.order.Front(); e != nil && e.Value.(*counter).window < win; e = t.order.Front() {
		t.remove(e)
	}
}

func (t *table) remove(e *list.Element) {
	delete(t.byKey, e.Value.(*counter).key)
	t.order.Remove(e)
}

// clear forgets every counter (at key rotation).
func (t *table) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.byKey)
	t.order.Init()
}

// len is the number of keys held.
func (t *table) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byKey)
}

// peek reports whether k has a counter in now's window, without counting.
func (t *table) peek(k Key, now time.Time) (int, bool) {
	win := now.UnixNano() / int64(t.w.Period)
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.byKey[k]
	if !ok || e.Value.(*counter).window != win {
		return 0, false
	}
	return e.Value.(*counter).count, true
}

// forget removes k's counter.
func (t *table) forget(k Key) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.byKey[k]; ok {
		t.remove(e)
	}
}
