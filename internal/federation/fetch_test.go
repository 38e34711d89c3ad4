package federation

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
	"github.com/roost-social/roost/internal/model"
)

// TestFetcherDoubleKnock: a host that refuses RFC 9421 is asked again
// with draft-cavage, and asked with cavage first from then on; every
// request carries the instance actor's signature.
func TestFetcherDoubleKnock(t *testing.T) {
	e := newTestEnv(t, nil)
	keys, err := e.svc.ActorKeys(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(_ context.Context, keyID string, _ bool) (crypto.PublicKey, error) {
		if keyID != "https://roost.test/actor#main-key" {
			return nil, fmt.Errorf("unexpected key %q", keyID)
		}
		return keys.RSA.Public(), nil
	}
	var mu sync.Mutex
	var seen []httpsig.Mode
	cavageOnly := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := httpsig.Verify(r, nil, lookup, httpsig.VerifyOptions{Scheme: "http"})
		if err != nil {
			t.Errorf("signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		seen = append(seen, res.Mode)
		mu.Unlock()
		switch {
		case res.Mode == httpsig.ModeRFC9421:
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/gone":
			w.WriteHeader(http.StatusGone)
		default:
			w.Header().Set("Content-Type", "application/activity+json")
			_, _ = w.Write([]byte(`{"id":"x"}`))
		}
	}))
	defer cavageOnly.Close()
	f := NewFetcher(e.svc, outbound.New(outbound.Options{AllowPrivate: true, UserAgent: "test"}))
	doc, err := f.FetchObject(context.Background(), cavageOnly.URL+"/a")
	if err != nil || string(doc.Body) != `{"id":"x"}` || doc.URL != cavageOnly.URL+"/a" {
		t.Fatalf("first fetch: %+v, %v", doc, err)
	}
	if _, err := f.FetchObject(context.Background(), cavageOnly.URL+"/b"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.FetchWebFinger(context.Background(), cavageOnly.URL+"/gone"); !errors.Is(err, model.ErrNotFound) || !errors.Is(err, core.ErrGone) {
		t.Errorf("410: %v", err)
	}
	want := []httpsig.Mode{httpsig.ModeRFC9421, httpsig.ModeCavage, httpsig.ModeCavage, httpsig.ModeCavage}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("modes %v, want %v", seen, want)
	}
}

// actorServer is a fake core.Fetcher holding one remote actor document.
type actorServer struct {
	mu    sync.Mutex
	doc   []byte
	calls atomic.Int32
}

func (a *actorServer) FetchObject(_ context.Context, u string) (*core.Fetched, error) {
	a.calls.Add(1)
	a.mu.Lock()
	defer a.mu.Unlock()
	if u != remoteActorID {
		return nil, model.ErrNotFound
	}
	return &core.Fetched{Body: a.doc, URL: u}, nil
}

func (a *actorServer) FetchWebFinger(context.Context, string) (*core.Fetched, error) {
	return nil, model.ErrNotFound
}

const remoteActorID = "https://remote.example/users/bob"

func (a *actorServer) publish(t *testing.T, key *rsa.PrivateKey) {
	t.Helper()
	pk, err := ap.NewPublicKey(remoteActorID+"#main-key", remoteActorID, &key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ap.Marshal(ap.NewPerson(ap.ActorParams{ID: remoteActorID, Username: "bob", PublicKey: pk}))
	if err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	a.doc = b
	a.mu.Unlock()
}

// TestRequesterKeyRotation verifies signed fetches: the signer is the key's
// owner, a rotated key is fetched once more (but not sooner than
// core.KeyRefreshInterval after the last fetch), a wrong key is refused.
func TestRequesterKeyRotation(t *testing.T) {
	var offset atomic.Int64
	e := newTestEnv(t, func() time.Time { return time.Now().Add(time.Duration(offset.Load())) })
	srv := &actorServer{}
	e.svc.SetFetcher(srv)
	key1, _ := rsa.GenerateKey(rand.Reader, 2048)
	key2, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv.publish(t, key1)
	req := NewRequester(e.svc, httpsig.VerifyOptions{})
	signed := func(key *rsa.PrivateKey, mode httpsig.Mode) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/users/alice/statuses/1", nil)
		r.Host = "roost.test"
		out := httptest.NewRequest(http.MethodGet, "https://roost.test/users/alice/statuses/1", nil)
		if err := httpsig.SignFor(mode, out, nil, key, remoteActorID+"#main-key", time.Now()); err != nil {
			t.Fatal(err)
		}
		for k, v := range out.Header {
			r.Header[k] = v
		}
		return r
	}
	id, err := req(signed(key1, httpsig.ModeRFC9421))
	if err != nil || id == 0 {
		t.Fatalf("signed with the published key: %d, %v", id, err)
	}
	bob, err := e.svc.ResolveActor(context.Background(), remoteActorID)
	if err != nil || bob.ID != id {
		t.Fatalf("signer %d, want bob %+v (%v)", id, bob, err)
	}
	if id, err := req(signed(key1, httpsig.ModeCavage)); err != nil || id != bob.ID || srv.calls.Load() != 1 {
		t.Fatalf("cavage, cached key: %d, %v, %d fetches", id, err, srv.calls.Load())
	}
	if id, err := req(httptest.NewRequest(http.MethodGet, "/users/alice", nil)); err != nil || id != 0 {
		t.Errorf("unsigned: %d, %v", id, err)
	}

	// Rotation: right after a fetch the new key is not fetched yet.
	srv.publish(t, key2)
	if _, err := req(signed(key2, httpsig.ModeRFC9421)); err == nil || srv.calls.Load() != 1 {
		t.Errorf("rotated key within the refresh interval: %v, %d fetches", err, srv.calls.Load())
	}
	offset.Store(int64(core.KeyRefreshInterval + time.Second))
	if id, err := req(signed(key2, httpsig.ModeRFC9421)); err != nil || id != bob.ID || srv.calls.Load() != 2 {
		t.Errorf("rotated key: %d, %v, %d fetches", id, err, srv.calls.Load())
	}
	// The old key no longer verifies, and a refused signature is no
	// reason to fetch again so soon.
	if _, err := req(signed(key1, httpsig.ModeCavage)); !errors.Is(err, httpsig.ErrBadSignature) || srv.calls.Load() != 2 {
		t.Errorf("old key: %v, %d fetches", err, srv.calls.Load())
	}
	// A signature naming a key nobody publishes.
	r := signed(key1, httpsig.ModeCavage)
	r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "#main-key", "#other-key", 1))
	if _, err := req(r); err == nil {
		t.Error("unknown key id accepted")
	}
}
