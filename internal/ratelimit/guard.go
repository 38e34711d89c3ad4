package ratelimit

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// By says what a Rule counts requests under, and which requests it sees.
type By int

const (
	// Address counts every matching request under its client address.
	Address By = iota
	// Guest counts, under the client address, the matching requests that
	// carry no bearer token the Guard has seen accepted.
	Guest
	// Token counts, under the token, the matching requests that carry a
	// bearer token the Guard has seen accepted.
	Token
)

// Rule is one limit: Mastodon's Rack::Attack throttles are the model.
type Rule struct {
	Name   string
	Window Window
	By     By
	// Match selects the requests the rule counts; nil matches all.
	Match func(*http.Request) bool
}

// Options configure a Guard.
type Options struct {
	Rules []Rule
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// MaxKeys bounds the keys each rule holds; 0 means DefaultMaxKeys.
	MaxKeys int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ValidToken reports whether the server accepts a bearer token. It is
	// asked once a day per token that a Token or Guest rule sees; nil means
	// no token is ever counted as one.
	ValidToken func(ctx context.Context, bearer string) bool
}

// DefaultMaxKeys is how many clients each rule tracks at most: about 5 MB
// per rule when full.
const DefaultMaxKeys = 50_000

// Guard applies Rules to HTTP requests. It is safe for concurrent use.
type Guard struct {
	rules   []Rule
	trusted []netip.Prefix
	now     func() time.Time
	valid   func(context.Context, string) bool

	// mu is held for reading while keys are made and counted, and for
	// writing while the secret rotates and every table is cleared.
	mu     sync.RWMutex
	keys   keyer
	tables []*table
	// known are the tokens ValidToken accepted today (and the server has
	// not since answered 401 to): only those are counted per token, so that
	// made-up tokens cannot escape the per-address limits.
	known *table
}

// New returns a Guard with a fresh secret.
func New(o Options) *Guard {
	if o.MaxKeys <= 0 {
		o.MaxKeys = DefaultMaxKeys
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	g := &Guard{rules: o.Rules, trusted: o.TrustedProxies, now: o.Now, valid: o.ValidToken}
	for _, r := range o.Rules {
		g.tables = append(g.tables, newTable(r.Window, o.MaxKeys))
	}
	// A token stays known for a day at most: the secret rotates anyway.
	g.known = newTable(Window{Limit: 1 << 30, Period: 24 * time.Hour}, o.MaxKeys)
	g.keys.rotate(g.now())
	return g
}

// lock takes the read lock, rotating the secret first when the UTC day
// has changed since it was made.
func (g *Guard) lock(now time.Time) {
	g.mu.RLock()
	if !g.keys.stale(now) {
		return
	}
	g.mu.RUnlock()
	g.mu.Lock()
	if g.keys.stale(now) {
		g.keys.rotate(now)
		for _, t := range g.tables {
			t.clear()
		}
		g.known.clear()
	}
	g.mu.Unlock()
	g.mu.RLock()
}

// Wrap limits the requests next serves. Loopback clients and CORS
// preflights are not counted.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		addr, ok := clientAddr(r, g.trusted)
		if !ok || addr.IsLoopback() {
			next.ServeHTTP(w, r)
			return
		}
		tok := bearer(r)
		valid := tok != "" && g.tokenValid(r, tok)
		now := g.now()
		g.lock(now)
		var tk Key
		if valid {
			tk = g.keys.key("token", []byte(tok))
			g.known.take(tk, now)
		}
		res, limited := g.count(r, addrBytes(addr), tk, valid, now)
		g.mu.RUnlock()
		if limited {
			tooMany(w, r, res, now)
			return
		}
		if res.Limit > 0 {
			setHeaders(w.Header(), res)
		}
		if !valid {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.code == http.StatusUnauthorized { // revoked meanwhile
			g.forget(tok)
		}
	})
}

// tokenValid reports whether tok should be counted as a token: a Token or
// Guest rule matches the request, and the token is known or ValidToken
// accepts it. ValidToken is asked without holding the lock.
func (g *Guard) tokenValid(r *http.Request, tok string) bool {
	if g.valid == nil || !g.tokenRuleMatches(r) {
		return false
	}
	now := g.now()
	g.lock(now)
	_, known := g.known.peek(g.keys.key("token", []byte(tok)), now)
	g.mu.RUnlock()
	return known || g.valid(r.Context(), tok)
}

func (g *Guard) tokenRuleMatches(r *http.Request) bool {
	for _, rule := range g.rules {
		if (rule.By == Token || rule.By == Guest) && (rule.Match == nil || rule.Match(r)) {
			return true
		}
	}
	return false
}

// count applies every matching rule in order and stops at the first that
// refuses. It returns that rule's result with limited set, or else the
// result with the fewest requests left, for the X-RateLimit headers.
func (g *Guard) count(r *http.Request, addr []byte, tok Key, valid bool, now time.Time) (res Result, limited bool) {
	var addrKey *Key
	for i, rule := range g.rules {
		if rule.Match != nil && !rule.Match(r) {
			continue
		}
		var k Key
		switch {
		case rule.By == Token && valid:
			k = tok
		case rule.By == Address || rule.By == Guest && !valid:
			if addrKey == nil {
				ak := g.keys.key("address", addr)
				addrKey = &ak
			}
			k = *addrKey
		default:
			continue
		}
		got := g.tables[i].take(k, now)
		if !got.Allowed {
			return got, true
		}
		if res.Limit == 0 || got.Remaining < res.Remaining {
			res = got
		}
	}
	return res, false
}

// forget makes a token unknown again, so that it is checked anew.
func (g *Guard) forget(tok string) {
	g.lock(g.now())
	defer g.mu.RUnlock()
	g.known.forget(g.keys.key("token", []byte(tok)))
}

// bearer is the token in the Authorization header, the only place Roost
// accepts one.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// setHeaders sets Mastodon's rate-limit headers. The reset time is
// ISO 8601 with microseconds, as Mastodon writes it.
func setHeaders(h http.Header, res Result) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(res.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(res.Remaining))
	h.Set("X-RateLimit-Reset", res.Reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
}

// tooMany answers 429 as Mastodon does, with Retry-After in seconds. A
// cross-origin API caller gets the CORS headers, so that a browser client
// can read the answer.
func tooMany(w http.ResponseWriter, r *http.Request, res Result, now time.Time) {
	h := w.Header()
	setHeaders(h, res)
	wait := int((res.Reset.Sub(now) + time.Second - 1) / time.Second)
	h.Set("Retry-After", strconv.Itoa(max(wait, 1)))
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if r.Header.Get("Origin") != "" {
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After")
	}
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`{"error":"Too many requests"}`))
}

// statusWriter remembers the status code the handler answered with.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
