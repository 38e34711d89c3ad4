package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// recordingFeaturedQueue keeps the accounts whose featured collection was
// asked for.
type recordingFeaturedQueue struct {
	mu  sync.Mutex
	ids []int64
}

func (q *recordingFeaturedQueue) EnqueueFeaturedFetch(_ context.Context, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

func (q *recordingFeaturedQueue) queued() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.ids)
}

// featuredNote is a Note by author with the given "to" and "cc".
func featuredNote(id, author, to, cc string) string {
	return `{"type":"Note","id":"` + id + `","attributedTo":"` + author + `","to":[` + to + `],"cc":[` + cc +
		`],"content":"<p>pinned</p>","published":"2025-01-02T03:04:05Z"}`
}

// featuredCollection is bob's featured collection holding items (JSON
// values).
func featuredCollection(items ...string) []byte {
	return []byte(`{"type":"OrderedCollection","id":"` + bobFeatured + `","totalItems":` + fmt.Sprint(len(items)) +
		`,"orderedItems":[` + strings.Join(items, ",") + `]}`)
}

// quoted returns s as a JSON string.
func quoted(s string) string { return `"` + s + `"` }

// fetchesOf counts the fetches of URLs starting with prefix.
func (f *fakeFetcher) fetchesOf(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// pinsOf is every status a has pinned, by URI, sorted.
func (e *inboxEnv) pinsOf(a *model.Account) []string {
	e.t.Helper()
	return e.pinnedOf(a, a)
}

func (e *inboxEnv) mustFetchFeatured(a *model.Account) {
	e.t.Helper()
	if err := e.s.FetchFeatured(e.ctx, a.ID); err != nil {
		e.t.Fatalf("fetch featured: %v", err)
	}
}

func (e *inboxEnv) unknown(uri string) bool {
	_, err := e.s.store.StatusByURI(e.ctx, uri)
	return errors.Is(err, model.ErrNotFound)
}

func TestFeaturedQueuedWhenFirstStoredAndRefreshed(t *testing.T) {
	e := newInboxEnv(t)
	q := &recordingFeaturedQueue{}
	e.s.SetFeaturedQueue(q)
	carl := e.remote("remote.example", "carl")
	if got := q.queued(); !slices.Equal(got, []int64{carl.ID}) {
		t.Fatalf("queued after the first resolve: %v, want [%d]", got, carl.ID)
	}
	// Known, within the TTL, or stored again by a resolve: not queued again.
	if _, err := e.s.ResolveActor(e.ctx, carl.URI); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.s.fetchActor(e.ctx, carl.URI); err != nil {
		t.Fatal(err)
	}
	if got := q.queued(); len(got) != 1 {
		t.Errorf("queued after resolving again: %v", got)
	}
	// The scheduled refresh reads it again.
	if gone, err := e.s.RefreshActor(e.ctx, carl.ID); err != nil || gone {
		t.Fatalf("refresh: %v, %v", gone, err)
	}
	if got := q.queued(); !slices.Equal(got, []int64{carl.ID, carl.ID}) {
		t.Errorf("queued after the refresh: %v", got)
	}
	// An actor without a featured collection, or on a suspended domain,
	// is not.
	dan := "https://remote.example/users/dan"
	e.f.set(dan, fakeDoc{body: remotePerson(t, "remote.example", "dan", "pem", func(p *ap.ActorParams) { p.Featured = "" })})
	if _, err := e.s.ResolveActor(e.ctx, dan); err != nil {
		t.Fatal(err)
	}
	e.instanceBlock(store.DomainBlock{Domain: "other.example", Severity: store.SeveritySuspend})
	eve := "https://other.example/users/eve"
	e.f.set(eve, fakeDoc{body: remotePerson(t, "other.example", "eve", "pem", nil)})
	_, _ = e.s.ResolveActor(e.ctx, eve)
	if got := q.queued(); len(got) != 2 {
		t.Errorf("queued for an actor without featured or suspended: %v", got)
	}
}

func TestFetchFeaturedEmbedded(t *testing.T) {
	e := newInboxEnv(t)
	pub, unl, priv := "https://remote.example/notes/pub", "https://remote.example/notes/unl", "https://remote.example/notes/priv"
	carls := "https://remote.example/notes/carls"
	foreign := "https://evil.example/notes/1"
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection(
		featuredNote(pub, bobURI, apPublic, ""),
		featuredNote(unl, bobURI, quoted(bobURI+"/followers"), apPublic),
		featuredNote(priv, bobURI, quoted(bobURI+"/followers"), ""),
		featuredNote(carls, "https://remote.example/users/carl", apPublic, ""),
		featuredNote(foreign, bobURI, apPublic, ""),
		featuredNote(pub, bobURI, apPublic, ""), // listed twice
	)})
	before := e.f.count()
	e.mustFetchFeatured(e.bob)
	if got, want := e.pinsOf(e.bob), []string{pub, unl}; !slices.Equal(got, want) {
		t.Errorf("bob's pins: %v, want %v", got, want)
	}
	if got, want := e.pinnedOf(e.alice, e.bob), []string{pub, unl}; !slices.Equal(got, want) {
		t.Errorf("bob's pins seen by alice: %v, want %v", got, want)
	}
	for _, uri := range []string{priv, carls, foreign} {
		if !e.unknown(uri) {
			t.Errorf("%s was stored", uri)
		}
	}
	if n := e.f.count() - before; n != 1 {
		t.Errorf("%d fetches, want the collection only", n)
	}
}

func TestFetchFeaturedIDs(t *testing.T) {
	e := newInboxEnv(t)
	// bob pinned, by Add, a public post and a followers-only one.
	old, priv := "https://remote.example/notes/old", "https://remote.example/notes/priv"
	e.mustRecv(e.bob, createNote(old, apPublic, "", ""))
	e.mustRecv(e.bob, createNote(priv, quoted(bobURI+"/followers"), "", ""))
	e.mustRecv(e.bob, featuredActivity("Add", "1", bobURI, quoted(old), bobFeatured))
	e.mustRecv(e.bob, featuredActivity("Add", "2", bobURI, quoted(priv), bobFeatured))

	n1, n2 := "https://remote.example/notes/n1", "https://remote.example/notes/n2"
	carls := "https://remote.example/notes/carls"
	missing := "https://remote.example/notes/missing"
	foreign := "https://evil.example/notes/1"
	e.f.set(n1, fakeDoc{body: []byte(featuredNote(n1, bobURI, apPublic, ""))})
	e.f.set(n2, fakeDoc{body: []byte(featuredNote(n2, bobURI, quoted(bobURI+"/followers"), apPublic))})
	e.f.set(carls, fakeDoc{body: []byte(featuredNote(carls, "https://remote.example/users/carl", apPublic, ""))})
	e.f.set(foreign, fakeDoc{body: []byte(featuredNote(foreign, bobURI, apPublic, ""))})
	// An item embedded without its author is fetched too.
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection(quoted(n1), `{"type":"Note","id":"`+n2+`"}`,
		quoted(carls), quoted(missing), quoted(foreign))})

	e.mustFetchFeatured(e.bob)
	// old is no longer featured; the followers-only pin is kept, since a
	// collection read as the instance actor never shows it.
	if got, want := e.pinsOf(e.bob), []string{n1, n2, priv}; !slices.Equal(got, want) {
		t.Errorf("bob's pins: %v, want %v", got, want)
	}
	if got, want := e.pinnedOf(e.alice, e.bob), []string{n1, n2}; !slices.Equal(got, want) {
		t.Errorf("bob's pins seen by alice: %v, want %v", got, want)
	}
	if !e.unknown(carls) || !e.unknown(foreign) {
		t.Error("another actor's post was stored")
	}
	if n := e.f.fetchesOf(foreign); n != 0 {
		t.Errorf("a post on another host was fetched %d times", n)
	}

	// Read again: the posts are known, nothing is fetched but the
	// collection and what could not be had.
	before := e.f.count()
	e.mustFetchFeatured(e.bob)
	if got, want := e.pinsOf(e.bob), []string{n1, n2, priv}; !slices.Equal(got, want) {
		t.Errorf("bob's pins read again: %v, want %v", got, want)
	}
	if n := e.f.count() - before; n != 3 {
		t.Errorf("%d fetches read again, want 3 (collection, carl's, missing)", n)
	}

	// Emptied: the public pins go.
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection()})
	e.mustFetchFeatured(e.bob)
	if got, want := e.pinsOf(e.bob), []string{priv}; !slices.Equal(got, want) {
		t.Errorf("bob's pins after emptying: %v, want %v", got, want)
	}
}

func TestFetchFeaturedPaged(t *testing.T) {
	e := newInboxEnv(t)
	n1, n2, n3 := "https://remote.example/notes/n1", "https://remote.example/notes/n2", "https://remote.example/notes/n3"
	for _, n := range []string{n1, n2, n3} {
		e.f.set(n, fakeDoc{body: []byte(featuredNote(n, bobURI, apPublic, ""))})
	}
	page1, page2 := bobFeatured+"?page=1", bobFeatured+"?page=2"
	e.f.set(bobFeatured, fakeDoc{body: []byte(`{"type":"OrderedCollection","id":"` + bobFeatured +
		`","totalItems":3,"first":"` + page1 + `"}`)})
	e.f.set(page1, fakeDoc{body: []byte(`{"type":"OrderedCollectionPage","id":"` + page1 + `","partOf":"` + bobFeatured +
		`","next":"` + page2 + `","orderedItems":["` + n1 + `","` + n2 + `"]}`)})
	e.f.set(page2, fakeDoc{body: []byte(`{"type":"OrderedCollectionPage","id":"` + page2 + `","partOf":"` + bobFeatured +
		`","orderedItems":["` + n3 + `"]}`)})
	e.mustFetchFeatured(e.bob)
	if got, want := e.pinsOf(e.bob), []string{n1, n2}; !slices.Equal(got, want) {
		t.Errorf("bob's pins: %v, want %v (the first page only)", got, want)
	}
	if e.f.fetchesOf(page2) != 0 || e.f.fetchesOf(n3) != 0 {
		t.Error("a page after the first was read")
	}

	// A first page embedded in the collection (Collection, items) is
	// read as it is.
	e.f.set(bobFeatured, fakeDoc{body: []byte(`{"type":"Collection","id":"` + bobFeatured +
		`","first":{"type":"CollectionPage","id":"` + page1 + `","next":"` + page2 + `","items":[` +
		featuredNote(n3, bobURI, apPublic, "") + `]}}`)})
	e.mustFetchFeatured(e.bob)
	if got, want := e.pinsOf(e.bob), []string{n3}; !slices.Equal(got, want) {
		t.Errorf("bob's pins from an embedded page: %v, want %v", got, want)
	}
	if e.f.fetchesOf(page2) != 0 {
		t.Error("the next page was read")
	}
}

func TestFetchFeaturedBounded(t *testing.T) {
	e := newInboxEnv(t)
	const total = 100
	var items, want []string
	for i := range total {
		uri := fmt.Sprintf("https://remote.example/notes/%03d", i)
		e.f.set(uri, fakeDoc{body: []byte(featuredNote(uri, bobURI, apPublic, ""))})
		items = append(items, quoted(uri))
		if i < MaxFeaturedItems {
			want = append(want, uri)
		}
	}
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection(items...)})
	e.mustFetchFeatured(e.bob)
	if got := e.pinsOf(e.bob); !slices.Equal(got, want) {
		t.Errorf("bob's pins: %d %v, want the first %d", len(got), got, MaxFeaturedItems)
	}
	if n := e.f.fetchesOf("https://remote.example/notes/"); n != MaxFeaturedItems {
		t.Errorf("%d posts fetched, want %d", n, MaxFeaturedItems)
	}
	// MaxRemotePins holds with followers-only pins, which are kept.
	priv := "https://remote.example/notes/priv"
	e.mustRecv(e.bob, createNote(priv, quoted(bobURI+"/followers"), "", ""))
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection()})
	e.mustFetchFeatured(e.bob)
	e.mustRecv(e.bob, featuredActivity("Add", "p", bobURI, quoted(priv), bobFeatured))
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection(items...)})
	e.mustFetchFeatured(e.bob)
	if n, _ := e.s.store.CountPins(e.ctx, e.bob.ID); n != MaxRemotePins {
		t.Errorf("%d pins, want %d", n, MaxRemotePins)
	}
	if got := e.pinsOf(e.bob); !slices.Contains(got, priv) {
		t.Errorf("the followers-only pin went: %v", got)
	}
}

func TestFetchFeaturedFailuresLeavePins(t *testing.T) {
	e := newInboxEnv(t)
	pinned := "https://remote.example/notes/pinned"
	e.mustRecv(e.bob, createNote(pinned, apPublic, "", ""))
	e.mustRecv(e.bob, featuredActivity("Add", "1", bobURI, quoted(pinned), bobFeatured))
	page := bobFeatured + "?page=1"
	for _, c := range []struct {
		name  string
		doc   *fakeDoc // nil: not served (404)
		page  *fakeDoc
		retry bool // the error is worth a retry
	}{
		{name: "unreachable", doc: &fakeDoc{err: errors.New("connection refused")}, retry: true},
		{name: "not found"},
		{name: "not a collection", doc: &fakeDoc{body: []byte(featuredNote(bobFeatured, bobURI, apPublic, ""))}},
		{name: "from another host", doc: &fakeDoc{body: featuredCollection(), final: "https://evil.example/featured"}},
		{name: "page unreachable", doc: &fakeDoc{body: []byte(`{"type":"OrderedCollection","id":"` + bobFeatured +
			`","first":"` + page + `"}`)}, page: &fakeDoc{err: errors.New("timeout")}, retry: true},
		{name: "page on another host", doc: &fakeDoc{body: []byte(`{"type":"OrderedCollection","id":"` + bobFeatured +
			`","first":"https://evil.example/page"}`)}},
		{name: "oversized", doc: &fakeDoc{body: featuredCollection(slices.Repeat([]string{quoted(pinned)}, 1001)...)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.f.mu.Lock()
			delete(e.f.docs, bobFeatured)
			delete(e.f.docs, page)
			e.f.mu.Unlock()
			if c.doc != nil {
				e.f.set(bobFeatured, *c.doc)
			}
			if c.page != nil {
				e.f.set(page, *c.page)
			}
			err := e.s.FetchFeatured(e.ctx, e.bob.ID)
			if err == nil {
				t.Fatal("no error")
			}
			final := errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid)
			if final == c.retry {
				t.Errorf("error %v: final %v", err, final)
			}
			if got := e.pinsOf(e.bob); !slices.Equal(got, []string{pinned}) {
				t.Errorf("pins after the failure: %v", got)
			}
		})
	}
}

func TestFetchFeaturedSkipsSuspended(t *testing.T) {
	e := newInboxEnv(t)
	n1 := "https://remote.example/notes/n1"
	e.f.set(n1, fakeDoc{body: []byte(featuredNote(n1, bobURI, apPublic, ""))})
	e.f.set(bobFeatured, fakeDoc{body: featuredCollection(quoted(n1))})
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeveritySuspend})
	before := e.f.count()
	e.mustFetchFeatured(e.bob)
	if n := e.f.count() - before; n != 0 || !e.unknown(n1) {
		t.Errorf("a suspended domain's collection was read: %d fetches", n)
	}
	// A local account, or an unknown one, has nothing to read.
	if err := e.s.FetchFeatured(e.ctx, e.alice.ID); err != nil {
		t.Errorf("local account: %v", err)
	}
	if err := e.s.FetchFeatured(e.ctx, 12345); err != nil {
		t.Errorf("unknown account: %v", err)
	}
}
