package model

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// IDs are time-sortable 63-bit integers, like Mastodon's snowflakes: the top
// 47 bits are milliseconds since the Unix epoch and the low 16 bits are a
// sequence that starts at a random value each millisecond. Sorting by ID is
// sorting by creation time, which is what max_id/since_id paging relies on.

var idState struct {
	sync.Mutex
	lastMS int64
	seq    uint16
}

// NewID returns a fresh ID for an object created at t. IDs made in one
// process are strictly increasing when t does not go backwards.
func NewID(t time.Time) int64 {
	ms := t.UnixMilli()
	idState.Lock()
	defer idState.Unlock()
	if ms <= idState.lastMS {
		ms = idState.lastMS
		idState.seq++
		if idState.seq == 0 { // sequence exhausted: borrow the next millisecond
			ms++
		}
	} else {
		var b [2]byte
		_, _ = rand.Read(b[:])
		idState.seq = binary.BigEndian.Uint16(b[:]) & 0x3fff // leave room to count up
	}
	idState.lastMS = ms
	return ms<<16 | int64(idState.seq)
}

// PastID returns an ID for an object made elsewhere at t, in the past: a
// remote post, sorted by when it was written rather than when it arrived,
// as Mastodon sorts them. It is not ordered against other IDs of the same
// millisecond, so it is random below the millisecond; and when t has
// whole-second precision, as ActivityPub's published usually does, the
// millisecond within that second is random too, which leaves about 2^26
// IDs per second to draw from. A collision is possible, if unlikely: the
// caller retries with NewID when the store refuses one.
func PastID(t time.Time) int64 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	r := binary.BigEndian.Uint32(b[:])
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		ms += int64(r>>16) % 1000
	}
	return ms<<16 | int64(r&0xffff)
}

// RandomID returns a positive ID that says nothing of when it was made,
// for rows whose creation time is nobody's business (sign-in tokens). Such
// IDs do not sort by time; 62 random bits make a clash negligible.
func RandomID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>2) + 1
}

// IDAt returns the smallest ID that NewID could have produced at t. It turns
// a time into a paging bound.
func IDAt(t time.Time) int64 { return t.UnixMilli() << 16 }

// FormatID renders an ID as the Mastodon API does: a decimal string.
func FormatID(id int64) string { return strconv.FormatInt(id, 10) }

// ParseID parses a decimal ID. It returns ErrNotFound-compatible false for
// anything that is not a positive integer.
func ParseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}
