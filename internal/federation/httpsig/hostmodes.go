package httpsig

import (
	"crypto"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Mode is a signature format.
type Mode uint8

// The signature formats.
const (
	ModeRFC9421 Mode = iota + 1 // RFC 9421 HTTP Message Signatures
	ModeCavage                  // draft-cavage-http-signatures-12
)

func (m Mode) String() string {
	switch m {
	case ModeRFC9421:
		return "rfc9421"
	case ModeCavage:
		return "cavage"
	}
	return "unknown"
}

// Other returns the format to try after m was refused.
func (m Mode) Other() Mode {
	if m == ModeCavage {
		return ModeRFC9421
	}
	return ModeCavage
}

// SignFor signs req in the given format: SignRFC9421 with the key's
// algorithm, or SignCavage (hs2019).
func SignFor(mode Mode, req *http.Request, body []byte, key crypto.Signer, keyID string, now time.Time) error {
	switch mode {
	case ModeRFC9421:
		return SignRFC9421(req, body, key, keyID, "", now)
	case ModeCavage:
		return SignCavage(req, body, key, keyID, now)
	}
	return fmt.Errorf("httpsig: sign: unknown mode %d", mode)
}

// RetryWithOtherMode reports whether a response status means the peer may
// have refused the signature format, so that the request is worth sending
// once more signed with Mode.Other() (FEP-844e double knocking).
func RetryWithOtherMode(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden
}

// SignatureAccepted reports whether a response status shows the peer
// accepted the signature, so that HostModes.Record should remember the
// mode used. Server errors say nothing either way.
func SignatureAccepted(status int) bool {
	return status < 500 && !RetryWithOtherMode(status)
}

// Defaults for HostModes.
const (
	DefaultHostModesTTL = 7 * 24 * time.Hour
	DefaultHostModesMax = 10_000
)

// HostModes remembers, per host, which signature format the host last
// accepted, so that deliveries knock once instead of twice. It is safe for
// concurrent use. The zero value is ready; set the fields before first use.
// Entries expire after TTL, so a host that upgrades to RFC 9421 is tried
// with it again; when Max hosts are known, the oldest entry is dropped.
type HostModes struct {
	Default Mode          // for unknown hosts; zero means ModeRFC9421
	TTL     time.Duration // zero means DefaultHostModesTTL
	Max     int           // zero means DefaultHostModesMax

	mu    sync.Mutex
	hosts map[string]hostMode
	now   func() time.Time // tests
}

type hostMode struct {
	mode Mode
	at   time.Time
}

// Preferred returns the format to try first for host (a host[:port]).
func (h *HostModes) Preferred(host string) Mode {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.hosts[strings.ToLower(host)]; ok && h.clock().Sub(e.at) < h.ttl() {
		return e.mode
	}
	if h.Default != 0 {
		return h.Default
	}
	return ModeRFC9421
}

// Record remembers that host accepted a request signed in mode.
func (h *HostModes) Record(host string, mode Mode) {
	if mode != ModeRFC9421 && mode != ModeCavage {
		return
	}
	host = strings.ToLower(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hosts == nil {
		h.hosts = make(map[string]hostMode)
	}
	now := h.clock()
	if _, known := h.hosts[host]; !known && len(h.hosts) >= h.max() {
		h.evict(now)
	}
	h.hosts[host] = hostMode{mode: mode, at: now}
}

// evict drops expired entries, or else the oldest one. Called with mu held.
func (h *HostModes) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	dropped := false
	for k, e := range h.hosts {
		if now.Sub(e.at) >= h.ttl() {
			delete(h.hosts, k)
			dropped = true
		} else if oldest == "" || e.at.Before(oldestAt) {
			oldest, oldestAt = k, e.at
		}
	}
	if !dropped && oldest != "" {
		delete(h.hosts, oldest)
	}
}

func (h *HostModes) clock() time.Time {
	if h.now != nil {
		return h.now()
	}
	return time.Now()
}

func (h *HostModes) ttl() time.Duration {
	if h.TTL > 0 {
		return h.TTL
	}
	return DefaultHostModesTTL
}

func (h *HostModes) max() int {
	if h.Max > 0 {
		return h.Max
	}
	return DefaultHostModesMax
}
