package httpsig

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// sharedDir returns the project's shared specs/fixtures directory (outside
// the repository), or skips the test when it is absent. Set
// ROOST_REQUIRE_SHARED=1 to fail instead, and ROOST_SHARED_DIR to point
// elsewhere.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("ROOST_SHARED_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("ROOST_REQUIRE_SHARED") == "1" {
			t.Fatalf("shared directory %s missing (ROOST_REQUIRE_SHARED=1): %v", dir, err)
		}
		t.Skipf("shared directory %s not present; set ROOST_SHARED_DIR to run this test", dir)
	}
	return dir
}

func readShared(t testing.TB, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	testRSAKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
		var keys [2]*rsa.PrivateKey
		for i := range keys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keys[i] = k
		}
		return keys
	})
)

// rsaKey returns one of two fixed (per test binary) 2048-bit RSA keys.
func rsaKey(i int) *rsa.PrivateKey { return testRSAKeys()[i] }

// edKey returns a deterministic Ed25519 key.
func edKey(i int) ed25519.PrivateKey {
	seed := bytes.Repeat([]byte{byte(i + 1)}, ed25519.SeedSize)
	return ed25519.NewKeyFromSeed(seed)
}

// countingLookup serves keys from a map and records every call.
type countingLookup struct {
	mu      sync.Mutex
	keys    map[string]crypto.PublicKey // refresh=false
	fresh   map[string]crypto.PublicKey // refresh=true; falls back to keys
	err     error                       // returned for refresh=false
	freshEr error                       // returned for refresh=true
	calls   []bool                      // the refresh flag of each call
}

func (l *countingLookup) lookup(_ context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, refresh)
	if refresh {
		if l.freshEr != nil {
			return nil, l.freshEr
		}
		if k, ok := l.fresh[keyID]; ok {
			return k, nil
		}
	} else if l.err != nil {
		return nil, l.err
	}
	if k, ok := l.keys[keyID]; ok {
		return k, nil
	}
	return nil, errors.New("unknown key")
}

func staticLookup(keys map[string]crypto.PublicKey) KeyLookup {
	l := &countingLookup{keys: keys}
	return l.lookup
}

// toServer sends req through the HTTP/1.1 wire format and parses it back
// as a server would receive it.
func toServer(t testing.TB, req *http.Request, body []byte) *http.Request {
	t.Helper()
	out := req.Clone(context.Background())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		t.Fatal(err)
	}
	srv, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(srv.Body)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("body did not survive the round trip: %v", err)
	}
	return srv
}

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}
