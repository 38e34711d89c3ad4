package ratelimit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time    { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time)   { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func newClock(t time.Time) *clock  { return &clock{t: t} }
func apiPath(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
func signUp(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/api/v1/accounts"
}
func okHandler() http.Handler                   { return http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}) }
func isGood(_ context.Context, tok string) bool { return tok == "good" || tok == "canary-token-42" }

func tokenHandler(good string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b := bearer(r); b != "" && b != good {
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
}

func testRules() []Rule {
	return []Rule{
		{Name: "guest", Window: Window{Limit: 5, Period: 5 * time.Minute}, By: Guest, Match: apiPath},
		{Name: "token", Window: Window{Limit: 8, Period: 5 * time.Minute}, By: Token, Match: apiPath},
		{Name: "sign-up", Window: Window{Limit: 2, Period: 30 * time.Minute}, By: Address, Match: signUp},
	}
}

// send serves one request from addr (with X-Forwarded-For xff, when not
// empty) through h.
func send(h http.Handler, method, path, addr, xff, tok string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = addr
	if xff != "" {
		r.Header.Set("X-Forwarded-For", xff)
	}
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestTooManyRequestsShape(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 28, 10, 1, 30, 0, time.UTC))
	h := New(Options{Rules: testRules(), Now: clk.now}).Wrap(okHandler())
	for i := range 5 {
		w := send(h, "GET", "/api/v1/timelines/public", "198.51.100.7:1234", "", "")
		if w.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, w.Code)
		}
		if got := w.Header().Get("X-RateLimit-Remaining"); got != strconv.Itoa(4-i) {
			t.Errorf("request %d: X-RateLimit-Remaining = %q", i+1, got)
		}
	}
	w := send(h, "GET", "/api/v1/timelines/public", "198.51.100.7:1234", "", "")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("sixth request: %d, want 429", w.Code)
	}
	var body map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body) != 1 || body["error"] != "Too many requests" {
		t.Errorf("body = %s (%v)", w.Body, err)
	}
	for hd, want := range map[string]string{
		"Content-Type":          "application/json; charset=utf-8",
		"X-RateLimit-Limit":     "5",
		"X-RateLimit-Remaining": "0",
		"X-RateLimit-Reset":     "2026-11-28T10:05:00.000000Z",
		"Retry-After":           "210",
	} {
		if got := w.Header().Get(hd); got != want {
			t.Errorf("%s = %q, want %q", hd, got, want)
		}
	}
	// Outside the rules, and from another address, nothing is refused.
	if w := send(h, "GET", "/users/alice", "198.51.100.7:1234", "", ""); w.Code != http.StatusOK || w.Header().Get("X-RateLimit-Limit") != "" {
		t.Errorf("unmatched path: %d %v", w.Code, w.Header())
	}
	if w := send(h, "GET", "/api/v1/timelines/public", "198.51.100.8:1234", "", ""); w.Code != http.StatusOK {
		t.Errorf("other address: %d", w.Code)
	}
	// A preflight is never refused; the window's end frees the address.
	if w := send(h, "OPTIONS", "/api/v1/timelines/public", "198.51.100.7:1234", "", ""); w.Code != http.StatusOK {
		t.Errorf("preflight: %d", w.Code)
	}
	clk.set(time.Date(2026, 11, 28, 10, 5, 0, 0, time.UTC))
	if w := send(h, "GET", "/api/v1/timelines/public", "198.51.100.7:1234", "", ""); w.Code != http.StatusOK {
		t.Errorf("next window: %d", w.Code)
	}
}

func TestTokensAndGuests(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	h := New(Options{Rules: testRules(), Now: clk.now, ValidToken: isGood}).Wrap(tokenHandler("good"))
	const addr = "198.51.100.7:1234"
	// Made-up tokens are counted per address like no token at all.
	for i := range 5 {
		if w := send(h, "GET", "/api/v1/x", addr, "", fmt.Sprintf("made-up-%d", i)); w.Code != http.StatusUnauthorized {
			t.Fatalf("made-up token %d: %d", i, w.Code)
		}
	}
	if w := send(h, "GET", "/api/v1/x", addr, "", "made-up-9"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("made-up tokens escaped the address limit: %d", w.Code)
	}
	// A token the server accepts is counted on its own, from any address,
	// from its first use.
	h = New(Options{Rules: testRules(), Now: clk.now, ValidToken: isGood}).Wrap(tokenHandler("good"))
	if w := send(h, "GET", "/api/v1/x", addr, "", "good"); w.Code != http.StatusOK {
		t.Fatalf("first use of a good token: %d", w.Code)
	}
	for i := range 7 {
		w := send(h, "GET", "/api/v1/x", fmt.Sprintf("198.51.100.%d:1", 20+i), "", "good")
		if w.Code != http.StatusOK || w.Header().Get("X-RateLimit-Limit") != "8" {
			t.Fatalf("token request %d: %d %v", i+1, w.Code, w.Header())
		}
	}
	if w := send(h, "GET", "/api/v1/x", "198.51.100.99:1", "", "good"); w.Code != http.StatusTooManyRequests {
		t.Errorf("token over its limit: %d", w.Code)
	}
	// Guests at the token's address were not charged for it.
	if w := send(h, "GET", "/api/v1/x", addr, "", ""); w.Code != http.StatusOK || w.Header().Get("X-RateLimit-Remaining") != "4" {
		t.Errorf("guest after token use: %d remaining %q, want 4", w.Code, w.Header().Get("X-RateLimit-Remaining"))
	}
	// Sign-up is limited per address whatever the token.
	for i := range 2 {
		if w := send(h, "POST", "/api/v1/accounts", "198.51.100.50:1", "", ""); w.Code != http.StatusOK {
			t.Fatalf("sign-up %d: %d", i+1, w.Code)
		}
	}
	if w := send(h, "POST", "/api/v1/accounts", "198.51.100.50:1", "", "other-token"); w.Code != http.StatusTooManyRequests {
		t.Errorf("third sign-up: %d", w.Code)
	}
}

func TestLoopbackIsNotLimited(t *testing.T) {
	h := New(Options{Rules: testRules()}).Wrap(okHandler())
	for range 20 {
		for _, a := range []string{"127.0.0.1:5", "[::1]:5"} {
			if w := send(h, "GET", "/api/v1/x", a, "203.0.113.1", ""); w.Code != http.StatusOK {
				t.Fatalf("loopback %s limited: %d", a, w.Code)
			}
		}
	}
}

func TestTrustedProxyHeader(t *testing.T) {
	trusted, _ := ParseProxies([]string{"10.0.0.1"})
	g := New(Options{Rules: testRules(), TrustedProxies: trusted})
	h := g.Wrap(okHandler())
	for range 5 {
		send(h, "GET", "/api/v1/x", "10.0.0.1:80", "203.0.113.1", "")
	}
	if w := send(h, "GET", "/api/v1/x", "10.0.0.1:80", "9.9.9.9, 203.0.113.1", ""); w.Code != http.StatusTooManyRequests {
		t.Errorf("a spoofed left hop escaped the limit: %d", w.Code)
	}
	if w := send(h, "GET", "/api/v1/x", "10.0.0.1:80", "203.0.113.2", ""); w.Code != http.StatusOK {
		t.Errorf("another client behind the proxy: %d", w.Code)
	}
	// Without the setting, the header is not read: every request is the peer's.
	h = New(Options{Rules: testRules()}).Wrap(okHandler())
	for i := range 5 {
		send(h, "GET", "/api/v1/x", "10.0.0.1:80", fmt.Sprintf("203.0.113.%d", i), "")
	}
	if w := send(h, "GET", "/api/v1/x", "10.0.0.1:80", "203.0.113.77", ""); w.Code != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For was believed from an untrusted peer: %d", w.Code)
	}
}

func TestSecretRotatesDaily(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 28, 23, 59, 0, 0, time.UTC))
	g := New(Options{Rules: testRules(), Now: clk.now})
	h := g.Wrap(okHandler())
	for range 5 {
		send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", "")
	}
	if w := send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("not limited before midnight: %d", w.Code)
	}
	before := g.keys.secret
	beforeKey := g.keys.key("address", []byte{198, 51, 100, 7})
	clk.set(time.Date(2026, 11, 29, 0, 0, 1, 0, time.UTC))
	w := send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", "")
	if w.Code != http.StatusOK || w.Header().Get("X-RateLimit-Remaining") != "4" {
		t.Errorf("after midnight: %d, remaining %q: counters were not reset", w.Code, w.Header().Get("X-RateLimit-Remaining"))
	}
	if g.keys.secret == before || g.keys.secret == ([32]byte{}) {
		t.Error("the secret did not change at midnight")
	}
	if g.keys.key("address", []byte{198, 51, 100, 7}) == beforeKey {
		t.Error("an address has the same key on two days")
	}
	for _, tb := range g.tables {
		for k := range tb.byKey {
			if k == beforeKey {
				t.Error("yesterday's key survived the rotation")
			}
		}
	}
}

// TestNoAddressRetained walks everything the Guard holds, by reflection,
// and finds no client address or token in it, in any form.
func TestNoAddressRetained(t *testing.T) {
	trusted, _ := ParseProxies([]string{"10.0.0.1"})
	g := New(Options{Rules: testRules(), TrustedProxies: trusted, ValidToken: isGood})
	h := g.Wrap(tokenHandler("canary-token-42"))
	var canaries [][]byte
	for i := range 30 {
		a := netip.MustParseAddr(fmt.Sprintf("203.0.113.%d", 100+i))
		b4 := a.As4()
		canaries = append(canaries, []byte(a.String()), b4[:])
		sum := sha256.Sum256(b4[:]) // a plain hash would be a lookup table away from the address
		canaries = append(canaries, sum[:])
		send(h, "GET", "/api/v1/x", "10.0.0.1:80", a.String(), "")
		send(h, "POST", "/api/v1/accounts", fmt.Sprintf("%s:443", a), "", "canary-token-42")
	}
	v6 := netip.MustParseAddr("2001:db8:aa:bb::7")
	send(h, "GET", "/api/v1/x", "[2001:db8:aa:bb::7]:1", "", "")
	b16 := v6.As16()
	canaries = append(canaries, []byte(v6.String()), b16[:8], []byte("canary-token-42"))
	held := 0
	for _, tb := range g.tables {
		held += tb.len()
	}
	if held == 0 {
		t.Fatal("the guard holds no counters: the walk would prove nothing")
	}
	var blobs [][]byte
	collect(reflect.ValueOf(g), map[uintptr]bool{}, &blobs)
	keys := 0
	for _, b := range blobs {
		if len(b) == len(Key{}) {
			keys++
		}
	}
	if keys < held {
		t.Fatalf("the walk saw %d keys of the %d held: it does not reach the tables", keys, held)
	}
	for _, b := range blobs {
		for _, c := range canaries {
			if len(c) > 0 && bytes.Contains(b, c) {
				t.Fatalf("the guard holds %x (from %q) in %x", c, c, b)
			}
		}
	}
}

// collect appends every string and byte array or slice reachable from v.
func collect(v reflect.Value, seen map[uintptr]bool, out *[][]byte) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		collect(v.Elem(), seen, out)
	case reflect.Struct:
		for i := range v.NumField() {
			collect(v.Field(i), seen, out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collect(it.Key(), seen, out)
			collect(it.Value(), seen, out)
		}
	case reflect.Array, reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			*out = append(*out, b)
			return
		}
		for i := range v.Len() {
			collect(v.Index(i), seen, out)
		}
	case reflect.String:
		*out = append(*out, []byte(v.String()))
	}
}

// TestConcurrentUseAcrossMidnight is for the race detector: requests from
// many goroutines while the day turns.
func TestConcurrentUseAcrossMidnight(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 28, 23, 59, 59, 0, time.UTC))
	h := New(Options{Rules: testRules(), Now: clk.now, MaxKeys: 16, ValidToken: isGood}).Wrap(tokenHandler("good"))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				if i == 0 && j == 100 {
					clk.set(time.Date(2026, 11, 29, 0, 0, 1, 0, time.UTC))
				}
				tok := ""
				if j%3 == 0 {
					tok = "good"
				}
				send(h, "GET", "/api/v1/x", fmt.Sprintf("198.51.%d.%d:1", i, j%40), "", tok)
			}
		})
	}
	wg.Wait()
}

func TestTokenValidatedOnceAndForgottenOn401(t *testing.T) {
	var mu sync.Mutex
	asked, revoked := 0, false
	valid := func(_ context.Context, tok string) bool {
		mu.Lock()
		defer mu.Unlock()
		asked++
		return tok == "good" && !revoked
	}
	h := New(Options{Rules: testRules(), ValidToken: valid}).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if revoked {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	for range 3 {
		if w := send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", "good"); w.Header().Get("X-RateLimit-Limit") != "8" {
			t.Fatalf("good token not counted as a token: %v", w.Header())
		}
	}
	if w := send(h, "GET", "/users/alice", "198.51.100.7:1", "", "other"); w.Code != http.StatusOK {
		t.Fatalf("unmatched path: %d", w.Code)
	}
	if asked != 1 {
		t.Errorf("ValidToken asked %d times, want once (and never outside the rules)", asked)
	}
	mu.Lock()
	revoked = true
	mu.Unlock()
	send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", "good") // answered 401: forgotten
	if w := send(h, "GET", "/api/v1/x", "198.51.100.7:1", "", "good"); w.Header().Get("X-RateLimit-Limit") != "5" {
		t.Errorf("revoked token still counted as a token: %v", w.Header())
	}
}
