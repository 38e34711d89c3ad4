package ratelimit

import (
	"testing"
	"time"
)

func key(b byte) Key { return Key{b} }

func TestWindowCountsAndResets(t *testing.T) {
	tb := newTable(Window{Limit: 3, Period: time.Minute}, 10)
	start := time.Date(2026, 11, 28, 10, 0, 10, 0, time.UTC)
	for i := range 3 {
		r := tb.take(key(1), start.Add(time.Duration(i)*time.Second))
		if !r.Allowed || r.Remaining != 2-i || r.Limit != 3 {
			t.Fatalf("request %d: %+v", i+1, r)
		}
	}
	r := tb.take(key(1), start.Add(5*time.Second))
	if r.Allowed || r.Remaining != 0 {
		t.Fatalf("fourth request: %+v, want refused", r)
	}
	if want := time.Date(2026, 11, 28, 10, 1, 0, 0, time.UTC); !r.Reset.Equal(want) {
		t.Errorf("reset = %v, want the window's end %v", r.Reset, want)
	}
	if r := tb.take(key(2), start.Add(5*time.Second)); !r.Allowed {
		t.Errorf("another key is refused: %+v", r)
	}
	if r := tb.take(key(1), start.Add(50*time.Second)); !r.Allowed || r.Remaining != 2 {
		t.Errorf("next window: %+v, want a fresh count", r)
	}
}

func TestTableEvictsOldest(t *testing.T) {
	tb := newTable(Window{Limit: 1, Period: time.Hour}, 3)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for b := byte(1); b <= 3; b++ {
		tb.take(key(b), now)
	}
	if r := tb.take(key(1), now); r.Allowed {
		t.Fatal("key 1 not counted")
	}
	tb.take(key(4), now) // full: key 1, the oldest, goes
	if n := tb.len(); n != 3 {
		t.Errorf("table holds %d keys, want at most 3", n)
	}
	if _, ok := tb.byKey[key(1)]; ok {
		t.Error("the oldest key was not evicted")
	}
	if r := tb.take(key(3), now); r.Allowed {
		t.Error("key 3 was evicted instead of the oldest")
	}
}

func TestTableDropsExpiredWindows(t *testing.T) {
	tb := newTable(Window{Limit: 5, Period: time.Minute}, 100)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for b := range byte(50) {
		tb.take(key(b), now)
	}
	tb.take(key(200), now.Add(time.Minute))
	if n := tb.len(); n != 1 {
		t.Errorf("after the window ended, %d keys remain, want 1", n)
	}
}
