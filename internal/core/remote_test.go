package core

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// fakeFetcher serves documents from a map, as if from the network.
type fakeFetcher struct {
	mu    sync.Mutex
	docs  map[string]fakeDoc
	calls []string
}

type fakeDoc struct {
	body  []byte
	final string // the URL after redirects; "" means the URL asked
	err   error
}

func newFakeFetcher() *fakeFetcher { return &fakeFetcher{docs: map[string]fakeDoc{}} }

func (f *fakeFetcher) set(url string, d fakeDoc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.docs[url] = d
}

func (f *fakeFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeFetcher) get(url string) (*Fetched, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, url)
	d, ok := f.docs[url]
	if !ok {
		return nil, fmt.Errorf("fake: %s: %w", url, model.ErrNotFound)
	}
	if d.err != nil {
		return nil, d.err
	}
	final := d.final
	if final == "" {
		final = url
	}
	return &Fetched{Body: d.body, URL: final}, nil
}

func (f *fakeFetcher) FetchObject(_ context.Context, url string) (*Fetched, error) { return f.get(url) }
func (f *fakeFetcher) FetchWebFinger(_ context.Context, url string) (*Fetched, error) {
	return f.get(url)
}

// remotePerson returns the actor document of name at host, with an RSA
// key "pem" (its PEM is not parsed by core) and an Ed25519 Multikey.
func remotePerson(t testing.TB, host, name, pem string, edit func(*ap.ActorParams)) []byte {
	t.Helper()
	id := "https://" + host + "/users/" + name
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := ap.ActorParams{
		ID: id, Username: name, Name: "Remote " + name, Summary: `<p>bio<script>alert(1)</script></p>`,
		URL: "https://" + host + "/@" + name, Inbox: id + "/inbox", Outbox: id + "/outbox",
		Followers: id + "/followers", Following: id + "/following", Featured: id + "/collections/featured",
		SharedInbox: "https://" + host + "/inbox", Locked: true, Discoverable: true,
		Fields:           []ap.ProfileField{{Name: "site", Value: `<a href="https://x.example" onclick="x()">x</a>`}},
		PublicKey:        ap.PublicKey{ID: id + "#main-key", Owner: id, PEM: pem},
		AssertionMethods: []ap.Multikey{ap.NewMultikey(id+"#ed25519-key", id, pub)},
	}
	if edit != nil {
		edit(&p)
	}
	b, err := ap.Marshal(ap.NewPerson(p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newRemoteTestService(t *testing.T) (*Service, *fakeFetcher, *testClock) {
	t.Helper()
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	f := newFakeFetcher()
	s.SetFetcher(f)
	return s, f, clock
}

func TestResolveActor(t *testing.T) {
	ctx := context.Background()
	s, f, clock := newRemoteTestService(t)
	const uri = "https://remote.example/users/bob"
	f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem-1", nil)})
	a, err := s.ResolveActor(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	if a.Acct() != "bob@remote.example" || a.URI != uri || a.URL != "https://remote.example/@bob" ||
		a.DisplayName != "Remote bob" || !a.Locked || !a.Discoverable || a.Local() {
		t.Errorf("account %+v", a)
	}
	if strings.Contains(a.Note, "script") || !strings.Contains(a.Note, "bio") {
		t.Errorf("note not sanitized: %q", a.Note)
	}
	if len(a.Fields) != 1 || strings.Contains(a.Fields[0].Value, "onclick") || !strings.Contains(a.Fields[0].Value, "https://x.example") {
		t.Errorf("fields %+v", a.Fields)
	}
	ra, err := s.store.RemoteActor(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Inbox != uri+"/inbox" || ra.SharedInbox != "https://remote.example/inbox" || ra.KeyID != uri+"#main-key" ||
		ra.PublicKeyPEM != "pem-1" || ra.Ed25519KeyID != uri+"#ed25519-key" || ra.Ed25519Multibase == "" {
		t.Errorf("remote actor %+v", ra)
	}

	// Cached within the TTL, fetched again after it.
	again, err := s.ResolveActor(ctx, uri)
	if err != nil || again.ID != a.ID || f.count() != 1 {
		t.Fatalf("second resolve: %v, %d fetches", err, f.count())
	}
	clock.Advance(RemoteActorTTL + time.Minute)
	f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem-2", func(p *ap.ActorParams) { p.Name = "Bob 2" })})
	fresh, err := s.ResolveActor(ctx, uri)
	if err != nil || fresh.ID != a.ID || fresh.DisplayName != "Bob 2" || f.count() != 2 {
		t.Fatalf("resolve after TTL: %+v, %v, %d fetches", fresh, err, f.count())
	}
	// A stale actor whose server fails is used as it was.
	clock.Advance(RemoteActorTTL + time.Minute)
	f.set(uri, fakeDoc{err: errors.New("connection refused")})
	stale, err := s.ResolveActor(ctx, uri)
	if err != nil || stale.ID != a.ID || stale.DisplayName != "Bob 2" {
		t.Errorf("stale resolve: %+v, %v", stale, err)
	}

	// Unknown actors fail; nothing is stored.
	if _, err := s.ResolveActor(ctx, "https://remote.example/users/ghost"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing actor: %v", err)
	}
	for _, bad := range []string{"ftp://remote.example/users/x", "https://user:pw@remote.example/x", "/users/x", ""} {
		if _, err := s.ResolveActor(ctx, bad); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("ResolveActor(%q): %v", bad, err)
		}
	}
}

func TestResolveActorOrigin(t *testing.T) {
	ctx := context.Background()
	s, f, _ := newRemoteTestService(t)
	// A document claiming an id on another host than it came from.
	f.set("https://evil.example/users/mallory", fakeDoc{body: remotePerson(t, "victim.example", "alice", "pem", nil)})
	if _, err := s.ResolveActor(ctx, "https://evil.example/users/mallory"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("id on another host: %v", err)
	}
	// Redirected to another host, the id must be on the final one.
	f.set("https://evil.example/users/redirect", fakeDoc{
		body: remotePerson(t, "victim.example", "alice", "pem", nil), final: "https://evil.example/elsewhere",
	})
	if _, err := s.ResolveActor(ctx, "https://evil.example/users/redirect"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("redirect, id on another host: %v", err)
	}
	f.set("https://old.example/users/carol", fakeDoc{
		body: remotePerson(t, "new.example", "carol", "pem", nil), final: "https://new.example/users/carol",
	})
	a, err := s.ResolveActor(ctx, "https://old.example/users/carol")
	if err != nil || a.Acct() != "carol@new.example" {
		t.Errorf("redirect to the id's host: %+v, %v", a, err)
	}
	if _, err := s.store.AccountByUsername(ctx, "alice", "victim.example"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a forged actor was stored: %v", err)
	}
	// Not an actor, or an unusable name.
	note, _ := ap.Marshal(ap.NewNote(ap.NoteParams{ID: "https://remote.example/notes/1", AttributedTo: "https://remote.example/users/x"}))
	f.set("https://remote.example/notes/1", fakeDoc{body: note})
	if _, err := s.ResolveActor(ctx, "https://remote.example/notes/1"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a Note as actor: %v", err)
	}
	f.set("https://remote.example/users/bad", fakeDoc{body: remotePerson(t, "remote.example", "bad", "pem",
		func(p *ap.ActorParams) { p.Username = "a b@c" })})
	if _, err := s.ResolveActor(ctx, "https://remote.example/users/bad"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad username: %v", err)
	}
	// A URL of this server is a local account, never fetched.
	alice := mustCreateUser(t, s, "alice")
	n := f.count()
	a, err = s.ResolveActor(ctx, "https://roost.test/users/alice")
	if err != nil || a.ID != alice.ID || f.count() != n {
		t.Errorf("local actor URL: %+v, %v", a, err)
	}
}

func TestResolveAcct(t *testing.T) {
	ctx := context.Background()
	s, f, _ := newRemoteTestService(t)
	const uri = "https://social.example/users/bob"
	f.set("https://remote.example/.well-known/webfinger?resource=acct%3Abob%40remote.example", fakeDoc{body: []byte(`{
		"subject": "acct:bob@remote.example",
		"links": [
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": "https://social.example/@bob"},
			{"rel": "self", "type": "application/activity+json", "href": "` + uri + `"}
		]}`)})
	f.set(uri, fakeDoc{body: remotePerson(t, "social.example", "bob", "pem", nil)})
	for _, acct := range []string{"bob@remote.example", "@bob@Remote.Example", "acct:bob@remote.example"} {
		a, err := s.ResolveAcct(ctx, acct)
		if err != nil || a.URI != uri || a.Acct() != "bob@social.example" {
			t.Fatalf("ResolveAcct(%q) = %+v, %v", acct, a, err)
		}
	}
	// The handle's domain is not the actor's, so WebFinger is asked each
	// time; the actor is fetched once.
	if f.count() != 4 {
		t.Errorf("%d fetches, want 4 (WebFinger thrice and the actor once)", f.count())
	}
	// Loopback development domains are asked over plain HTTP.
	f.set("http://localhost:8081/.well-known/webfinger?resource=acct%3Acarol%40localhost%3A8081", fakeDoc{
		body: []byte(`{"links":[{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"http://localhost:8081/users/carol"}]}`)})
	carol, _ := ap.Marshal(ap.NewPerson(ap.ActorParams{ID: "http://localhost:8081/users/carol", Username: "carol"}))
	f.set("http://localhost:8081/users/carol", fakeDoc{body: carol})
	if a, err := s.ResolveAcct(ctx, "carol@localhost:8081"); err != nil || a.Acct() != "carol@localhost:8081" {
		t.Errorf("loopback acct: %+v, %v", a, err)
	}
	// No self link, malformed JRD, bad handles.
	f.set("https://none.example/.well-known/webfinger?resource=acct%3Ax%40none.example", fakeDoc{body: []byte(`{"links":[]}`)})
	f.set("https://junk.example/.well-known/webfinger?resource=acct%3Ax%40junk.example", fakeDoc{body: []byte(`[`)})
	for _, acct := range []string{"x@none.example", "x@junk.example", "x@bad/host", "@", "x@"} {
		if _, err := s.ResolveAcct(ctx, acct); err == nil {
			t.Errorf("ResolveAcct(%q) succeeded", acct)
		}
	}
	// This server's own domain is a local lookup.
	alice := mustCreateUser(t, s, "alice")
	if a, err := s.ResolveAcct(ctx, "alice@roost.test"); err != nil || a.ID != alice.ID {
		t.Errorf("local acct: %+v, %v", a, err)
	}
}

func TestPublicKeyForKeyID(t *testing.T) {
	ctx := context.Background()
	s, f, clock := newRemoteTestService(t)
	const uri = "https://remote.example/users/bob"
	f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem-1", nil)})
	k, err := s.PublicKeyForKeyID(ctx, uri+"#main-key", false)
	if err != nil || k.PEM != "pem-1" || k.Owner != uri || k.AccountID == 0 || f.count() != 1 {
		t.Fatalf("key: %+v, %v, %d fetches", k, err, f.count())
	}
	ed, err := s.PublicKeyForKeyID(ctx, uri+"#ed25519-key", false)
	if err != nil || !strings.HasPrefix(ed.Multibase, "z") || ed.PEM != "" || ed.AccountID != k.AccountID || f.count() != 1 {
		t.Fatalf("multikey: %+v, %v, %d fetches", ed, err, f.count())
	}

	// Rotation: a refresh soon after a fetch answers from the cache; a
	// later one fetches the owner again, once.
	f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem-2", nil)})
	if k, err := s.PublicKeyForKeyID(ctx, uri+"#main-key", true); err != nil || k.PEM != "pem-1" || f.count() != 1 {
		t.Errorf("refresh within the interval: %+v, %v, %d fetches", k, err, f.count())
	}
	clock.Advance(KeyRefreshInterval + time.Second)
	if k, err := s.PublicKeyForKeyID(ctx, uri+"#main-key", true); err != nil || k.PEM != "pem-2" || f.count() != 2 {
		t.Errorf("refresh: %+v, %v, %d fetches", k, err, f.count())
	}
	if k, err := s.PublicKeyForKeyID(ctx, uri+"#main-key", false); err != nil || k.PEM != "pem-2" || f.count() != 2 {
		t.Errorf("after refresh: %+v, %v, %d fetches", k, err, f.count())
	}

	// A key whose owner is not the document's id, or on another host, is
	// not the actor's.
	const eve = "https://remote.example/users/eve"
	f.set(eve, fakeDoc{body: remotePerson(t, "remote.example", "eve", "pem-e", func(p *ap.ActorParams) {
		p.PublicKey.Owner = uri
		p.AssertionMethods[0].Controller = uri
	})})
	for _, id := range []string{eve + "#main-key", eve + "#ed25519-key"} {
		if _, err := s.PublicKeyForKeyID(ctx, id, false); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("key %s owned by another actor: %v", id, err)
		}
	}
	const mal = "https://remote.example/users/mal"
	f.set(mal, fakeDoc{body: remotePerson(t, "remote.example", "mal", "pem-m", func(p *ap.ActorParams) {
		p.PublicKey.ID = "https://other.example/users/mal#main-key"
	})})
	if _, err := s.PublicKeyForKeyID(ctx, mal+"#main-key", false); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("key missing from its document: %v", err)
	}
	// The key of the actor that took the other host's key id is not found
	// under it either (the other host's document is never fetched here).
	if _, err := s.PublicKeyForKeyID(ctx, "https://other.example/users/mal#main-key", false); err == nil {
		t.Error("a key id on another host than its actor was accepted")
	}

	// A stand-alone key document names its owner, which must publish it.
	const dan = "https://remote.example/users/dan"
	f.set(dan, fakeDoc{body: remotePerson(t, "remote.example", "dan", "pem-d", func(p *ap.ActorParams) {
		p.PublicKey.ID = dan + "/main-key"
	})})
	f.set(dan+"/main-key", fakeDoc{body: []byte(`{"id":"` + dan + `/main-key","type":"CryptographicKey","owner":"` + dan + `","publicKeyPem":"pem-d"}`)})
	if k, err := s.PublicKeyForKeyID(ctx, dan+"/main-key", false); err != nil || k.PEM != "pem-d" || k.Owner != dan {
		t.Errorf("key document: %+v, %v", k, err)
	}

	// A stub actor at the key's URL (as GoToSocial serves) names the
	// actor, whose own document is fetched.
	const gts = "https://remote.example/users/gts"
	f.set(gts, fakeDoc{body: remotePerson(t, "remote.example", "gts", "pem-g", func(p *ap.ActorParams) {
		p.PublicKey.ID = gts + "/main-key"
	})})
	stub, _ := ap.Marshal(ap.NewPerson(ap.ActorParams{ID: gts,
		PublicKey: ap.PublicKey{ID: gts + "/main-key", Owner: gts, PEM: "pem-g"}}))
	f.set(gts+"/main-key", fakeDoc{body: stub})
	if k, err := s.PublicKeyForKeyID(ctx, gts+"/main-key", false); err != nil || k.PEM != "pem-g" || k.Owner != gts {
		t.Errorf("stub actor: %+v, %v", k, err)
	}
	// A key document naming an owner on another host is refused.
	f.set("https://remote.example/keys/x", fakeDoc{body: []byte(`{"id":"https://remote.example/keys/x","type":"CryptographicKey","owner":"https://elsewhere.example/users/x"}`)})
	if _, err := s.PublicKeyForKeyID(ctx, "https://remote.example/keys/x", false); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("owner on another host: %v", err)
	}

	// A suspended owner's key is refused; keys of this server are not
	// looked up.
	if err := s.store.SetAccountSuspended(ctx, k.AccountID, ptrTime(clock.Now())); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublicKeyForKeyID(ctx, uri+"#main-key", false); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("suspended owner: %v", err)
	}
	if _, err := s.PublicKeyForKeyID(ctx, "https://roost.test/actor#main-key", false); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("local key: %v", err)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestSearchResolve(t *testing.T) {
	ctx := context.Background()
	s, f, _ := newRemoteTestService(t)
	const uri = "https://remote.example/users/bob"
	f.set("https://remote.example/.well-known/webfinger?resource=acct%3Abob%40remote.example", fakeDoc{
		body: []byte(`{"links":[{"rel":"self","type":"application/activity+json","href":"` + uri + `"}]}`)})
	f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem", nil)})
	alice := mustCreateUser(t, s, "alice")
	viewer := &Auth{Account: alice}

	// Without a signed-in viewer, or without resolve, nothing is fetched.
	for _, c := range []struct {
		a *Auth
		q SearchQuery
	}{
		{nil, SearchQuery{Q: "bob@remote.example", Resolve: true}},
		{viewer, SearchQuery{Q: "bob@remote.example"}},
		{viewer, SearchQuery{Q: uri}},
	} {
		res, err := s.Search(ctx, c.a, c.q)
		if err != nil || len(res.Accounts) != 0 {
			t.Errorf("Search(%+v): %+v, %v", c.q, res, err)
		}
	}
	if f.count() != 0 {
		t.Fatalf("%d fetches without resolve", f.count())
	}
	res, err := s.Search(ctx, viewer, SearchQuery{Q: "@bob@remote.example", Resolve: true})
	if err != nil || len(res.Accounts) != 1 || res.Accounts[0].URI != uri {
		t.Fatalf("resolve: %+v, %v", res, err)
	}
	// Now known: found without resolving, by handle, URL and prefix.
	for _, q := range []string{"bob@remote.example", uri, "bo"} {
		res, err := s.Search(ctx, nil, SearchQuery{Q: q, Type: SearchAccountsType})
		if err != nil || len(res.Accounts) != 1 || res.Accounts[0].URI != uri {
			t.Errorf("Search(%q): %+v, %v", q, res, err)
		}
	}
	// A failing server finds nothing, without an error.
	f.set("https://down.example/.well-known/webfinger?resource=acct%3Ax%40down.example", fakeDoc{err: errors.New("timeout")})
	if res, err := s.Search(ctx, viewer, SearchQuery{Q: "x@down.example", Resolve: true}); err != nil || len(res.Accounts) != 0 {
		t.Errorf("failing server: %+v, %v", res, err)
	}
	// Hashtags by exact name.
	res, err = s.Search(ctx, nil, SearchQuery{Q: "#Tea", Type: SearchHashtagsType})
	if err != nil || len(res.Hashtags) != 1 || res.Hashtags[0] != "tea" || len(res.Accounts) != 0 {
		t.Errorf("hashtag: %+v, %v", res, err)
	}
	if res, _ := s.Search(ctx, nil, SearchQuery{Q: "#123"}); len(res.Hashtags) != 0 {
		t.Errorf("#123 is no hashtag: %+v", res.Hashtags)
	}
}
