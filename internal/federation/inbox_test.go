package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// docNetwork is core.Fetcher over a map of documents: the remote actors
// the inbox tests sign as.
type docNetwork struct {
	mu   sync.Mutex
	docs map[string][]byte
	gets []string
}

func (n *docNetwork) FetchObject(_ context.Context, u string) (*core.Fetched, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.gets = append(n.gets, u)
	b, ok := n.docs[u]
	if !ok {
		return nil, fmt.Errorf("test network: %s: %w", u, model.ErrNotFound)
	}
	return &core.Fetched{Body: b, URL: u}, nil
}

func (n *docNetwork) FetchWebFinger(ctx context.Context, u string) (*core.Fetched, error) {
	return n.FetchObject(ctx, u)
}

func (n *docNetwork) fetched(u string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, g := range n.gets {
		if g == u {
			return true
		}
	}
	return false
}

// remoteSigner is a remote actor with its private key.
type remoteSigner struct {
	id  string
	key *rsa.PrivateKey
}

func (n *docNetwork) actor(t testing.TB, host, name string) *remoteSigner {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	id := "https://" + host + "/users/" + name
	pk, err := ap.NewPublicKey(id+"#main-key", id, &key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ap.Marshal(ap.NewPerson(ap.ActorParams{ID: id, Username: name, PublicKey: pk,
		Inbox: id + "/inbox", Followers: id + "/followers"}))
	if err != nil {
		t.Fatal(err)
	}
	n.mu.Lock()
	n.docs[id] = b
	n.mu.Unlock()
	return &remoteSigner{id: id, key: key}
}

// events records what core publishes.
type events struct {
	mu sync.Mutex
	n  map[core.EventKind]int
}

func (e *events) Publish(_ context.Context, ev core.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n[ev.Kind]++
	return nil
}

func (e *events) count(k core.EventKind) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[k]
}

type inboxEnv struct {
	*testEnv
	net   *docNetwork
	ev    *events
	alice *model.Account
	bob   *remoteSigner
	mal   *remoteSigner
}

func newInboxEnv(t testing.TB) *inboxEnv {
	t.Helper()
	e := &inboxEnv{testEnv: newTestEnv(t, nil), net: &docNetwork{docs: map[string][]byte{}},
		ev: &events{n: map[core.EventKind]int{}}}
	e.svc.SetFetcher(e.net)
	e.svc.SetPublisher(e.ev)
	e.alice = e.user(t, "alice")
	e.bob = e.net.actor(t, "remote.example", "bob")
	e.mal = e.net.actor(t, "evil.example", "mallory")
	return e
}

// post delivers body to path signed by s (nil: unsigned) in mode.
func (e *inboxEnv) post(t testing.TB, path string, s *remoteSigner, body string, mode httpsig.Mode) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Host = "roost.test"
	r.Header.Set("Content-Type", "application/activity+json")
	if s != nil {
		out := httptest.NewRequest(http.MethodPost, "https://roost.test"+path, nil)
		out.Header.Set("Content-Type", "application/activity+json")
		if err := httpsig.SignFor(mode, out, []byte(body), s.key, s.id+"#main-key", time.Now()); err != nil {
			t.Fatal(err)
		}
		for k, v := range out.Header {
			r.Header[k] = v
		}
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func (e *inboxEnv) want(t testing.TB, w *httptest.ResponseRecorder, code int, what string) {
	t.Helper()
	if w.Code != code {
		t.Errorf("%s: status %d, want %d; body %s", what, w.Code, code, w.Body)
	}
}

func followBody(id, actor string) string {
	return `{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","id":"` + id +
		`","actor":"` + actor + `","object":"https://roost.test/users/alice"}`
}

func TestInboxHTTPFollow(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	// Mallory sends an activity with the id bob's follow will have: it
	// does not make bob's follow look like a replay.
	e.want(t, e.post(t, "/inbox", e.mal, `{"type":"Flag","id":"https://remote.example/follows/1","actor":"`+e.mal.id+`","object":"https://roost.test/users/alice"}`, httpsig.ModeCavage),
		http.StatusAccepted, "pre-empting id")
	body := followBody("https://remote.example/follows/1", e.bob.id)
	e.want(t, e.post(t, "/users/alice/inbox", e.bob, body, httpsig.ModeCavage), http.StatusAccepted, "signed follow")
	bob, err := e.svc.ResolveActor(ctx, e.bob.id)
	if err != nil {
		t.Fatal(err)
	}
	followers, err := e.svc.Followers(ctx, e.alice.ID, e.alice.ID, store.Page{})
	if err != nil || len(followers.Items) != 1 || followers.Items[0].ID != bob.ID {
		t.Fatalf("alice's followers %+v, %v", followers, err)
	}
	if n := e.ev.count(core.EventFollowAccepted); n != 1 {
		t.Fatalf("accepts %d, want 1", n)
	}
	// The same activity again, in the other signature format: accepted,
	// applied once.
	e.want(t, e.post(t, "/inbox", e.bob, body, httpsig.ModeRFC9421), http.StatusAccepted, "replay")
	if n := e.ev.count(core.EventFollowAccepted); n != 1 {
		t.Errorf("a replayed follow was applied again: %d accepts", n)
	}
	// A new activity id is applied (Mastodon re-sends Follow to get a lost Accept).
	e.want(t, e.post(t, "/inbox", e.bob, followBody("https://remote.example/follows/2", e.bob.id), httpsig.ModeCavage),
		http.StatusAccepted, "second follow")
	if n := e.ev.count(core.EventFollowAccepted); n != 2 {
		t.Errorf("accepts %d after a new follow activity, want 2", n)
	}
}

func TestInboxHTTPRefusals(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	body := followBody("https://remote.example/follows/9", e.bob.id)
	e.want(t, e.post(t, "/inbox", nil, body, 0), http.StatusUnauthorized, "unsigned")

	// Signed by bob's id with mallory's key: the signature does not verify.
	forged := &remoteSigner{id: e.bob.id, key: e.mal.key}
	e.want(t, e.post(t, "/inbox", forged, body, httpsig.ModeCavage), http.StatusUnauthorized, "bad signature")

	// Mallory signs, the activity claims bob as its actor.
	e.want(t, e.post(t, "/inbox", e.mal, body, httpsig.ModeCavage), http.StatusUnauthorized, "actor is not the signer")

	// A body changed after signing.
	r := httptest.NewRequest(http.MethodPost, "/inbox", strings.NewReader(body))
	r.Host = "roost.test"
	out := httptest.NewRequest(http.MethodPost, "https://roost.test/inbox", nil)
	if err := httpsig.SignCavage(out, []byte(followBody("https://remote.example/follows/other", e.bob.id)), e.bob.key, e.bob.id+"#main-key", time.Now()); err != nil {
		t.Fatal(err)
	}
	r.Header = out.Header
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	e.want(t, w, http.StatusUnauthorized, "digest mismatch")

	// A stale signature.
	r = httptest.NewRequest(http.MethodPost, "/inbox", strings.NewReader(body))
	r.Host = "roost.test"
	out = httptest.NewRequest(http.MethodPost, "https://roost.test/inbox", nil)
	if err := httpsig.SignCavage(out, []byte(body), e.bob.key, e.bob.id+"#main-key", time.Now().Add(-3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r.Header = out.Header
	w = httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	e.want(t, w, http.StatusUnauthorized, "stale signature")

	// Oversize, malformed and unknown bodies, before any signature work.
	big := `{"type":"Create","id":"x","content":"` + strings.Repeat("a", MaxInboxBody) + `"}`
	e.want(t, e.post(t, "/inbox", e.bob, big, httpsig.ModeCavage), http.StatusRequestEntityTooLarge, "oversize")
	e.want(t, e.post(t, "/inbox", e.bob, `{"type":"Follow",`, httpsig.ModeCavage), http.StatusBadRequest, "malformed")
	e.want(t, e.post(t, "/inbox", e.bob, `{"type":"EmojiReact","id":"https://remote.example/r/1","actor":"`+e.bob.id+`"}`, httpsig.ModeCavage),
		http.StatusBadRequest, "unknown type")
	e.want(t, e.post(t, "/inbox", e.bob, `{"type":"Note","id":"https://remote.example/n/1"}`, httpsig.ModeCavage),
		http.StatusBadRequest, "not an activity")
	e.want(t, e.post(t, "/users/nobody/inbox", e.bob, body, httpsig.ModeCavage), http.StatusNotFound, "unknown user")

	if a, err := e.svc.Account(ctx, e.alice.ID, e.alice.ID); err != nil || a.FollowersCount != 0 {
		t.Errorf("alice's followers after refusals: %+v, %v", a, err)
	}
}

func TestInboxHTTPSuspendedDomain(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	if _, err := e.svc.AddDomainBlock(ctx, store.DomainBlock{Domain: "evil.example", Severity: store.SeveritySuspend}, false); err != nil {
		t.Fatal(err)
	}
	body := followBody("https://evil.example/follows/1", e.mal.id)
	e.want(t, e.post(t, "/inbox", e.mal, body, httpsig.ModeCavage), http.StatusAccepted, "suspended domain")
	// Nothing was written, nor even fetched: not the actor, not its key.
	if e.net.fetched(e.mal.id) {
		t.Error("a suspended domain's actor was fetched")
	}
	if a, err := e.svc.Account(ctx, e.alice.ID, e.alice.ID); err != nil || a.FollowersCount != 0 {
		t.Errorf("alice after a suspended follow: %+v, %v", a, err)
	}
	// An actor on a suspended domain is dropped before its signature is
	// even checked (signed here by bob, whose key is not fetched).
	e.want(t, e.post(t, "/inbox", e.bob, followBody("https://evil.example/follows/2", e.mal.id), httpsig.ModeCavage),
		http.StatusAccepted, "actor on a suspended domain")
	if e.net.fetched(e.bob.id) {
		t.Error("the signer of a suspended actor's activity was fetched")
	}
	// A key on a suspended domain, signing for an actor elsewhere.
	sub := e.net.actor(t, "sub.evil.example", "eve")
	e.want(t, e.post(t, "/inbox", sub, followBody("https://sub.evil.example/f/1", sub.id), httpsig.ModeCavage),
		http.StatusAccepted, "suspended parent domain")
	if e.net.fetched(sub.id) {
		t.Error("an actor under a suspended parent domain was fetched")
	}
}

func TestInboxHTTPCreateMention(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	body := `{"type":"Create","id":"https://remote.example/notes/1/activity","actor":"` + e.bob.id + `",
		"object":{"type":"Note","id":"https://remote.example/notes/1","attributedTo":"` + e.bob.id + `",
		"to":["https://roost.test/users/alice"],"content":"<p>@alice hi</p>",
		"tag":[{"type":"Mention","href":"https://roost.test/users/alice"}]}}`
	e.want(t, e.post(t, "/users/alice/inbox", e.bob, body, httpsig.ModeRFC9421), http.StatusAccepted, "create")
	l, err := e.svc.Notifications(ctx, e.alice.ID, store.NotificationFilter{}, store.Page{})
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("notifications %+v, %v", l, err)
	}
	n := l.Items[0]
	if n.Notification.Type != model.NotifyMention || n.Status == nil || n.Status.Status.Visibility != model.VisibilityDirect ||
		!strings.Contains(n.Status.Status.Content, "hi") {
		t.Errorf("notification %+v", n)
	}
	// A Create whose note is on another host than its actor's: the origin
	// has nothing, so nothing is stored.
	foreign := strings.ReplaceAll(body, "https://remote.example/notes/1", "https://victim.example/notes/1")
	e.want(t, e.post(t, "/inbox", e.bob, foreign, httpsig.ModeCavage), http.StatusAccepted, "foreign object")
	if l, _ := e.svc.Notifications(ctx, e.alice.ID, store.NotificationFilter{}, store.Page{}); len(l.Items) != 1 {
		t.Errorf("a foreign note notified: %d", len(l.Items))
	}
}

func TestReplayCache(t *testing.T) {
	now := time.Unix(1000, 0)
	c := newReplayCache(time.Minute, 3, func() time.Time { return now })
	for _, id := range []string{"a", "b", "c", "d"} {
		c.add(id)
	}
	if c.has("a") || !c.has("b") || !c.has("d") || c.len() != 3 {
		t.Errorf("bounded: a %v b %v d %v len %d", c.has("a"), c.has("b"), c.has("d"), c.len())
	}
	now = now.Add(2 * time.Minute)
	if c.has("b") {
		t.Error("expired entry still seen")
	}
	c.add("e")
	if c.len() != 1 {
		t.Errorf("expired entries kept: %d", c.len())
	}
	if replayKey(&ap.Object{}, []byte("x")) == replayKey(&ap.Object{}, []byte("y")) {
		t.Error("bodies without id share a replay key")
	}
}
