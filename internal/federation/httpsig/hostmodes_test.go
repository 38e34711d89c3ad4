package httpsig

import (
	"crypto"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestHostModes(t *testing.T) {
	now := signTime
	h := &HostModes{TTL: time.Hour, Max: 3, now: func() time.Time { return now }}
	if got := h.Preferred("a.example"); got != ModeRFC9421 {
		t.Fatalf("unknown host: %v", got)
	}
	h.Record("A.example", ModeCavage)
	if got := h.Preferred("a.EXAMPLE"); got != ModeCavage {
		t.Fatalf("after Record: %v", got)
	}
	h.Record("a.example", 0) // ignored
	if got := h.Preferred("a.example"); got != ModeCavage {
		t.Fatalf("after invalid Record: %v", got)
	}
	now = now.Add(time.Hour)
	if got := h.Preferred("a.example"); got != ModeRFC9421 {
		t.Fatalf("after TTL: %v", got)
	}

	// Capacity: the oldest entry goes.
	now = signTime
	h = &HostModes{Max: 2, Default: ModeCavage, now: func() time.Time { return now }}
	if got := h.Preferred("x"); got != ModeCavage {
		t.Fatalf("Default ignored: %v", got)
	}
	for i, host := range []string{"a", "b", "c"} {
		now = signTime.Add(time.Duration(i) * time.Minute)
		h.Record(host, ModeRFC9421)
	}
	if len(h.hosts) != 2 || h.Preferred("a") != ModeCavage || h.Preferred("c") != ModeRFC9421 {
		t.Fatalf("eviction: %v", h.hosts)
	}
}

func TestHostModesConcurrent(t *testing.T) {
	var h HostModes
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				host := fmt.Sprintf("h%d.example", j%17)
				h.Record(host, Mode(1+(i+j)%2))
				_ = h.Preferred(host)
			}
		})
	}
	wg.Wait()
	if len(h.hosts) != 17 {
		t.Fatalf("%d hosts", len(h.hosts))
	}
}

func TestModeHelpers(t *testing.T) {
	if ModeRFC9421.Other() != ModeCavage || ModeCavage.Other() != ModeRFC9421 {
		t.Fatal("Other")
	}
	if ModeRFC9421.String() != "rfc9421" || ModeCavage.String() != "cavage" || Mode(0).String() != "unknown" {
		t.Fatal("String")
	}
	for status, want := range map[int][2]bool{
		200: {false, true}, 202: {false, true}, 404: {false, true}, 410: {false, true},
		400: {true, false}, 401: {true, false}, 403: {true, false},
		500: {false, false}, 503: {false, false},
	} {
		if RetryWithOtherMode(status) != want[0] || SignatureAccepted(status) != want[1] {
			t.Errorf("status %d", status)
		}
	}
}

// TestDoubleKnock walks the documented flow against a peer that only
// accepts cavage: the first delivery knocks twice, the next one once.
func TestDoubleKnock(t *testing.T) {
	key := rsaKey(0)
	lookup := staticLookup(map[string]crypto.PublicKey{"k": key.Public()})
	var modes HostModes
	deliver := func() (knocks int) {
		mode := modes.Preferred("b.example")
		for {
			req, _ := http.NewRequest(http.MethodPost, "https://b.example/inbox", nil)
			body := []byte(`{}`)
			if err := SignFor(mode, req, body, key, "k", signTime); err != nil {
				t.Fatal(err)
			}
			knocks++
			status := http.StatusAccepted
			srv := toServer(t, req, body)
			if _, ok := srv.Header["Signature-Input"]; ok {
				status = http.StatusUnauthorized // this peer predates RFC 9421
			} else if _, err := Verify(srv, body, lookup, testOpts); err != nil {
				t.Fatal(err)
			}
			if RetryWithOtherMode(status) && knocks == 1 {
				mode = mode.Other()
				continue
			}
			if SignatureAccepted(status) {
				modes.Record("b.example", mode)
			}
			return knocks
		}
	}
	if n := deliver(); n != 2 {
		t.Fatalf("first delivery knocked %d times", n)
	}
	if n := deliver(); n != 1 {
		t.Fatalf("second delivery knocked %d times", n)
	}
}
