package app_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// testInbox is a remote server on loopback with actors and inboxes. Every
// POST to an inbox must carry a signature that verifies with the key the
// signing actor's document (fetched from Roost over HTTP) publishes, and
// whose owner is the activity's actor; verified activities are recorded.
type testInbox struct {
	t      *testing.T
	srv    *httptest.Server
	URL    string
	shared bool // actors name the shared inbox {URL}/inbox
	key    *rsa.PrivateKey

	mu sync.Mutex
	// answers are the statuses the next POSTs get, in order; 202 after.
	answers []int
	// always, when set, answers every POST.
	always int
	// retryAfter, when set, is the Retry-After header of answers >= 300.
	retryAfter string
	// onlyCavage refuses RFC 9421 signatures with 401.
	onlyCavage bool
	// hold, when set, is called with each verified activity before it is
	// answered, and may block; when it returns true the activity is not
	// recorded (its sender is known to be gone).
	hold func(act map[string]any) (drop bool)
	// posts counts POSTs; modes lists the format of each signed one.
	posts int
	modes []httpsig.Mode
	got   []delivered
	bad   []string
	keys  actorKeys
}

// delivered is one verified activity and where it arrived.
type delivered struct {
	Path string
	Act  map[string]any
}

func (d delivered) typ() string { s, _ := d.Act["type"].(string); return s }
func (d delivered) id() string  { s, _ := d.Act["id"].(string); return s }

// object is the activity's object: its id (or IRI) and type.
func (d delivered) object() (id, typ string) {
	switch o := d.Act["object"].(type) {
	case string:
		return o, ""
	case map[string]any:
		id, _ = o["id"].(string)
		typ, _ = o["type"].(string)
		return id, typ
	}
	return "", ""
}

var testInboxKey struct {
	once sync.Once
	k    *rsa.PrivateKey
}

func newTestInbox(t *testing.T, shared bool) *testInbox {
	t.Helper()
	testInboxKey.once.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testInboxKey.k = k
	})
	in := &testInbox{t: t, shared: shared, key: testInboxKey.k}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: in}}
	in.srv.Start()
	in.URL = in.srv.URL
	t.Cleanup(in.srv.Close)
	return in
}

func (in *testInbox) actorURI(name string) string { return in.URL + "/users/" + name }

func (in *testInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/users/"):
		in.serveActor(w, strings.TrimPrefix(r.URL.Path, "/users/"))
	case r.Method == http.MethodPost && (r.URL.Path == "/inbox" || strings.HasSuffix(r.URL.Path, "/inbox")):
		in.serveInbox(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (in *testInbox) serveActor(w http.ResponseWriter, name string) {
	if strings.Contains(name, "/") {
		http.NotFound(w, nil)
		return
	}
	der, _ := x509.MarshalPKIXPublicKey(&in.key.PublicKey)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	id := in.actorURI(name)
	p := ap.ActorParams{ID: id, Username: name, Inbox: id + "/inbox", Outbox: id + "/outbox",
		Followers: id + "/followers", Following: id + "/following",
		PublicKey: ap.PublicKey{ID: id + "#main-key", Owner: id, PEM: pemText}}
	if in.shared {
		p.SharedInbox = in.URL + "/inbox"
	}
	b, err := ap.Marshal(ap.NewPerson(p))
	if err != nil {
		http.Error(w, "marshal", 500)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write(b)
}

func (in *testInbox) serveInbox(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read", 400)
		return
	}
	in.mu.Lock()
	in.posts++
	onlyCavage := in.onlyCavage
	in.mu.Unlock()
	if onlyCavage && r.Header.Get("Signature-Input") != "" {
		in.record(httpsig.ModeRFC9421, nil, "")
		http.Error(w, "signature format not supported", http.StatusUnauthorized)
		return
	}
	res, err := httpsig.Verify(r, body, in.keys.lookup, httpsig.VerifyOptions{Scheme: "http"})
	if err != nil {
		in.record(0, nil, "verify: "+err.Error())
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil {
		in.record(res.Mode, nil, "json: "+err.Error())
		http.Error(w, "bad json", 400)
		return
	}
	actor, _ := act["actor"].(string)
	if actor == "" || res.KeyID != actor+"#main-key" {
		in.record(res.Mode, nil, "key "+res.KeyID+" does not belong to actor "+actor)
		http.Error(w, "actor mismatch", http.StatusUnauthorized)
		return
	}
	in.mu.Lock()
	hold := in.hold
	in.mu.Unlock()
	if hold != nil && hold(act) {
		http.Error(w, "dropped", http.StatusServiceUnavailable)
		return
	}
	in.mu.Lock()
	code, retryAfter := 202, in.retryAfter
	switch {
	case in.always != 0:
		code = in.always
	case len(in.answers) > 0:
		code, in.answers = in.answers[0], in.answers[1:]
	}
	in.mu.Unlock()
	if code < 300 {
		in.record(res.Mode, &delivered{Path: r.URL.Path, Act: act}, "")
	} else {
		in.record(res.Mode, nil, "")
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
	}
	w.WriteHeader(code)
}

func (in *testInbox) record(mode httpsig.Mode, d *delivered, bad string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if mode != 0 {
		in.modes = append(in.modes, mode)
	}
	if d != nil {
		in.got = append(in.got, *d)
	}
	if bad != "" {
		in.bad = append(in.bad, bad)
	}
}

// actorKeys is a receiving server's key cache: it fetches a Roost actor's
// document, unsigned, and keeps the key keyID names, which must be the
// actor's own.
type actorKeys struct {
	mu   sync.Mutex
	keys map[string]crypto.PublicKey
}

func (c *actorKeys) lookup(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
	c.mu.Lock()
	k, ok := c.keys[keyID]
	c.mu.Unlock()
	if ok && !refresh {
		return k, nil
	}
	actorURL, _, _ := strings.Cut(keyID, "#")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, actorURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var doc struct {
		PublicKey struct{ ID, Owner, PublicKeyPem string }
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		return nil, err
	}
	if doc.PublicKey.ID != keyID || doc.PublicKey.Owner != actorURL {
		return nil, errors.New("no such key")
	}
	pub, err := httpsig.ParsePublicKeyPEM(doc.PublicKey.PublicKeyPem)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.keys == nil {
		c.keys = map[string]crypto.PublicKey{}
	}
	c.keys[keyID] = pub
	c.mu.Unlock()
	return pub, nil
}

// received returns the verified activities so far.
func (in *testInbox) received() []delivered {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]delivered(nil), in.got...)
}

func (in *testInbox) postCount() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.posts
}

func (in *testInbox) signatureModes() []httpsig.Mode {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]httpsig.Mode(nil), in.modes...)
}

// set changes the inbox's behaviour under its lock.
func (in *testInbox) set(f func(in *testInbox)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	f(in)
}

// checkClean fails t on any POST that did not verify.
func (in *testInbox) checkClean(t *testing.T) {
	t.Helper()
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, b := range in.bad {
		t.Errorf("inbox %s: %s", in.URL, b)
	}
}

// waitFor waits until match finds something among the activities received,
// and returns it.
func (in *testInbox) waitFor(t *testing.T, what string, match func(d delivered) bool) delivered {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, d := range in.received() {
			if match(d) {
				return d
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.checkClean(t)
	t.Fatalf("inbox %s never received %s; got %d activities", in.URL, what, len(in.received()))
	return delivered{}
}

// ofType matches an activity by type and object id (any object when "").
func ofType(typ, object string) func(d delivered) bool {
	return func(d delivered) bool {
		id, _ := d.object()
		return d.typ() == typ && (object == "" || id == object)
	}
}

// count counts the activities that match.
func (in *testInbox) count(match func(d delivered) bool) int {
	n := 0
	for _, d := range in.received() {
		if match(d) {
			n++
		}
	}
	return n
}

// fastDelivery are delivery options for tests: quick retries and waits.
func fastDelivery() federation.DeliverOptions {
	return federation.DeliverOptions{
		Backoff:    func(int) time.Duration { return 200 * time.Millisecond },
		DeleteWait: 200 * time.Millisecond,
	}
}

// startDeliveryPeer starts a Roost like startPeer, with delivery options o.
func startDeliveryPeer(t *testing.T, db database, o federation.DeliverOptions) *server {
	t.Helper()
	return startWith(t, db, []string{"--dev-allow-private-networks"}, app.Options{Version: "test", Delivery: o})
}

// remoteFollower makes the actor name on in known to s and a follower of
// local account target (an accepted follow, or a request when pending).
func (s *server) remoteFollower(t *testing.T, in *testInbox, name string, target *model.Account, pending bool) *model.Account {
	t.Helper()
	ctx := context.Background()
	a, err := s.app.Service().ResolveActor(ctx, in.actorURI(name))
	if err != nil {
		t.Fatalf("resolve %s: %v", name, err)
	}
	if target != nil {
		f := &model.Follow{ID: model.NewID(time.Now()), AccountID: a.ID, TargetID: target.ID, Pending: pending,
			URI: in.URL + "/follows/" + name, CreatedAt: time.Now()}
		if err := s.app.Store().PutFollow(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	return a
}
