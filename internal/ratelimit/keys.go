package ratelimit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"time"
)

// keyer makes Keys under a secret that lives for one UTC day. It is not
// safe for concurrent use: the Guard serialises rotation against use.
type keyer struct {
	day    int64 // UTC day number the secret belongs to
	secret [32]byte
}

// dayOf is the UTC day number of t.
func dayOf(t time.Time) int64 { return t.Unix() / 86400 }

// stale reports whether the secret belongs to a day before now's. A
// request whose clock reading is from just before midnight uses the new
// day's secret rather than turning the secret back.
func (k *keyer) stale(now time.Time) bool { return dayOf(now) > k.day }

// rotate makes a new random secret for now's day and overwrites the old
// one, so the day's keys cannot be recomputed, even from this process.
func (k *keyer) rotate(now time.Time) {
	clear(k.secret[:])
	if _, err := rand.Read(k.secret[:]); err != nil {
		panic("ratelimit: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	k.day = dayOf(now)
}

// key is HMAC-SHA-256(secret, kind || 0 || value). kind separates
// addresses from tokens, so the two can never share a counter.
func (k *keyer) key(kind string, value []byte) Key {
	m := hmac.New(sha256.New, k.secret[:])
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(value)
	var out Key
	m.Sum(out[:0])
	return out
}
