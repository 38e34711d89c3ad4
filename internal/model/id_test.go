package model

import (
	"testing"
	"time"
)

// TestPastID: an ID made for a past time sorts at that time, within its
// second when the time has whole-second precision, and among fresh IDs
// made since, before them.
func TestPastID(t *testing.T) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[int64]bool{}
	for range 1000 {
		id := PastID(at)
		ms := id >> 16
		if ms < at.UnixMilli() || ms >= at.Add(time.Second).UnixMilli() {
			t.Fatalf("PastID(%v) = %d, at %d ms, outside its second", at, id, ms)
		}
		seen[id] = true
	}
	if len(seen) < 990 {
		t.Errorf("%d distinct IDs of 1000 for one second", len(seen))
	}
	precise := at.Add(123 * time.Millisecond)
	if ms := PastID(precise) >> 16; ms != precise.UnixMilli() {
		t.Errorf("a millisecond-precise time moved to %d", ms)
	}
	if PastID(at) >= NewID(time.Now()) {
		t.Error("a past ID sorts after a fresh one")
	}
}

// TestRandomID: random IDs are positive and distinct.
func TestRandomID(t *testing.T) {
	seen := map[int64]bool{}
	for range 1000 {
		id := RandomID()
		if id <= 0 || seen[id] {
			t.Fatalf("RandomID gave %d", id)
		}
		seen[id] = true
	}
}
