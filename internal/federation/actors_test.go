package federation

import (
	"context"
	"crypto"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// profileAlice gives alice a full profile.
func profileAlice(t *testing.T, e *testEnv) *model.Account {
	t.Helper()
	a := e.user(t, "alice")
	name, note, locked := "Alice Liddell", "Down the rabbit hole. #wonderland\nhttps://example.org/", true
	fields := []model.Field{{Name: "Home", Value: "https://alice.example/"}, {Name: "Tea", Value: "<b>always</b>"}}
	c, err := e.svc.UpdateProfile(context.Background(), &core.Auth{Account: a},
		core.ProfileUpdate{DisplayName: &name, Note: &note, Locked: &locked, Fields: &fields})
	if err != nil {
		t.Fatalf("update profile: %v", err)
	}
	return c.Account
}

func TestActorDocument(t *testing.T) {
	e := newTestEnv(t, nil)
	profileAlice(t, e)
	w := e.getAP(t, "/users/alice", 200)
	h := w.Header()
	if ct := h.Get("Content-Type"); ct != "application/activity+json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if h.Get("Vary") != "Accept" || h.Get("Set-Cookie") != "" {
		t.Errorf("headers %v", h)
	}
	o, err := ap.DecodeActor(w.Body.Bytes())
	if err != nil {
		t.Fatalf("DecodeActor: %v\n%s", err, w.Body)
	}
	const id = "https://roost.test/users/alice"
	checks := map[string][2]string{
		"type":              {o.Type, ap.TypePerson},
		"id":                {o.ID, id},
		"preferredUsername": {o.PreferredUsername, "alice"},
		"name":              {o.Name, "Alice Liddell"},
		"url":               {o.HTMLURL(), "https://roost.test/@alice"},
		"inbox":             {o.Inbox, id + "/inbox"},
		"outbox":            {o.Outbox, id + "/outbox"},
		"followers":         {o.Followers, id + "/followers"},
		"following":         {o.Following, id + "/following"},
		"featured":          {o.Featured, id + "/collections/featured"},
		"sharedInbox":       {o.SharedInbox, "https://roost.test/inbox"},
	}
	for k, v := range checks {
		if v[0] != v[1] {
			t.Errorf("%s = %q, want %q", k, v[0], v[1])
		}
	}
	if !o.ManuallyApprovesFollowers || o.Published.IsZero() || o.Published.Hour() != 0 {
		t.Errorf("manuallyApprovesFollowers %v, published %v", o.ManuallyApprovesFollowers, o.Published)
	}
	if !strings.Contains(o.Summary, `<a href="https://roost.test/tags/wonderland"`) || !strings.HasPrefix(o.Summary, "<p>") {
		t.Errorf("summary %q is not the rendered bio", o.Summary)
	}
	if len(o.Attachment) != 2 || o.Attachment[0].Type != ap.TypePropertyValue || o.Attachment[0].Name != "Home" ||
		!strings.Contains(o.Attachment[0].Value, `rel="nofollow noopener noreferrer me"`) ||
		o.Attachment[1].Value != "&lt;b&gt;always&lt;/b&gt;" {
		t.Errorf("attachment %+v", o.Attachment)
	}
}

// TestActorKeysVerify parses the keys of a Person and of the instance
// actor back out of their documents and checks that signatures made with
// the vault's signers verify with them, in both signature formats.
func TestActorKeysVerify(t *testing.T) {
	e := newTestEnv(t, nil)
	a := e.user(t, "alice")
	for _, c := range []struct {
		path  string
		owner int64
		typ   string
	}{{"/users/alice", a.ID, ap.TypePerson}, {"/actor", 0, ap.TypeService}} {
		o, err := ap.DecodeActor(e.getAP(t, c.path, 200).Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if o.Type != c.typ {
			t.Errorf("%s: type %s", c.path, o.Type)
		}
		pk, ok := o.MainKey(o.ID + "#main-key")
		if !ok || pk.Owner != o.ID {
			t.Fatalf("%s: publicKey %+v", c.path, o.PublicKey)
		}
		rsaPub, err := httpsig.ParsePublicKeyPEM(pk.PEM)
		if err != nil {
			t.Fatalf("%s: publicKeyPem: %v", c.path, err)
		}
		if k, ok := rsaPub.(*rsa.PublicKey); !ok || k.N.BitLen() != 2048 {
			t.Errorf("%s: publicKey is %T, not RSA-2048", c.path, rsaPub)
		}
		if len(o.AssertionMethod) != 1 || o.AssertionMethod[0].ID != o.ID+"#ed25519-key" || o.AssertionMethod[0].Controller != o.ID {
			t.Fatalf("%s: assertionMethod %+v", c.path, o.AssertionMethod)
		}
		edPub, err := httpsig.ParseMultikey(o.AssertionMethod[0].PublicKeyMultibase)
		if err != nil {
			t.Fatalf("%s: Multikey: %v", c.path, err)
		}
		keys, err := e.svc.ActorKeys(context.Background(), c.owner)
		if err != nil {
			t.Fatal(err)
		}
		verifySigned(t, c.path+" cavage", pk.ID, rsaPub, func(r *http.Request, now time.Time) error {
			return httpsig.SignCavageAlg(r, nil, keys.RSA, pk.ID, httpsig.AlgRSASHA256, now)
		})
		verifySigned(t, c.path+" rfc9421 ed25519", o.AssertionMethod[0].ID, edPub, func(r *http.Request, now time.Time) error {
			return httpsig.SignRFC9421(r, nil, keys.Ed25519, o.AssertionMethod[0].ID, "", now)
		})
	}
	user, _ := e.svc.ActorKeys(context.Background(), a.ID)
	inst, _ := e.svc.ActorKeys(context.Background(), 0)
	if user.RSAPublicPEM() == inst.RSAPublicPEM() {
		t.Error("the instance actor shares a user's key")
	}
}

// verifySigned signs a GET with sign and verifies it with pub published
// under keyID.
func verifySigned(t *testing.T, what, keyID string, pub crypto.PublicKey, sign func(*http.Request, time.Time) error) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "https://peer.example/users/bob", nil)
	if err := sign(r, time.Now()); err != nil {
		t.Fatalf("%s: sign: %v", what, err)
	}
	lookup := func(_ context.Context, id string, _ bool) (crypto.PublicKey, error) {
		if id != keyID {
			t.Errorf("%s: lookup of %q, want %q", what, id, keyID)
		}
		return pub, nil
	}
	if _, err := httpsig.Verify(r, nil, lookup, httpsig.VerifyOptions{}); err != nil {
		t.Errorf("%s: the published key does not verify the vault's signature: %v", what, err)
	}
}

// keyMaterial matches the parts of an actor document that differ on every
// run.
var keyMaterial = regexp.MustCompile(`("publicKeyPem": |"publicKeyMultibase": )"[^"]*"`)

func TestActorGolden(t *testing.T) {
	e := newTestEnv(t, func() time.Time { return fixedNow })
	profileAlice(t, e)
	for _, c := range []struct{ path, file string }{{"/users/alice", "actor.json"}, {"/actor", "instance-actor.json"}} {
		body := indent(t, e.getAP(t, c.path, 200).Body.Bytes())
		golden(t, c.file, keyMaterial.ReplaceAll(body, []byte(`$1"KEY"`)))
	}
}

func TestActorBotIsService(t *testing.T) {
	e := newTestEnv(t, nil)
	a := e.user(t, "robot")
	bot := true
	if _, err := e.svc.UpdateProfile(context.Background(), &core.Auth{Account: a}, core.ProfileUpdate{Bot: &bot}); err != nil {
		t.Fatal(err)
	}
	o, err := ap.DecodeActor(e.getAP(t, "/users/robot", 200).Body.Bytes())
	if err != nil || o.Type != ap.TypeService {
		t.Fatalf("bot: %v, type %s", err, o.Type)
	}
}

func TestActorCaseInsensitive(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	o, err := ap.DecodeActor(e.getAP(t, "/users/ALICE", 200).Body.Bytes())
	if err != nil || o.ID != "https://roost.test/users/alice" {
		t.Fatalf("%v, id %q", err, o.ID)
	}
}

func TestContentNegotiation(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	for accept, want := range map[string]int{
		"application/activity+json": 200,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: 200,
		"application/ld+json":                        200,
		"application/json":                           200,
		"text/html, application/activity+json;q=0.5": 200,
		"":    406,
		"*/*": 406,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": 406,
		"application/activity+json;q=0":                                   406,
		"application/*":                                                   406,
	} {
		for _, path := range []string{"/users/alice", "/users/ghost", "/actor"} {
			w := e.get(path, accept)
			wantPath := want
			if path == "/users/ghost" && want == 200 {
				wantPath = 404
			}
			if w.Code != wantPath {
				t.Errorf("GET %s, Accept %q: status %d, want %d", path, accept, w.Code, wantPath)
			}
			if w.Header().Get("Vary") != "Accept" {
				t.Errorf("GET %s, Accept %q: Vary %q", path, accept, w.Header().Get("Vary"))
			}
		}
	}
}

// TestHiddenAccountsIndistinguishable checks that every route answers a
// suspended or unapproved account exactly as one that never existed.
func TestHiddenAccountsIndistinguishable(t *testing.T) {
	e := newTestEnv(t, nil)
	sam := e.user(t, "sam")
	st := e.post(t, sam, "before suspension", model.VisibilityPublic)
	if err := e.svc.SuspendAccount(context.Background(), "sam"); err != nil {
		t.Fatal(err)
	}
	e.userWith(t, core.NewUser{Username: "pending"})
	id := model.FormatID(st.ID)
	for _, suffix := range []string{"", "/outbox", "/outbox?page=true", "/followers", "/following",
		"/collections/featured", "/statuses/" + id, "/statuses/" + id + "/activity"} {
		unknown := e.get("/users/ghost"+suffix, apAccept)
		if unknown.Code != 404 {
			t.Fatalf("ghost%s: status %d", suffix, unknown.Code)
		}
		for _, name := range []string{"sam", "pending"} {
			sameResponse(t, name+suffix, e.get("/users/"+name+suffix, apAccept), unknown)
		}
	}
}
