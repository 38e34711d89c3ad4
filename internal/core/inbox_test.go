package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// recordingPublisher keeps the events it is given.
type recordingPublisher struct {
	mu     sync.Mutex
	events []Event
}

func (p *recordingPublisher) Publish(_ context.Context, e Event) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
	return nil
}

func (p *recordingPublisher) kinds() []EventKind {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []EventKind
	for _, e := range p.events {
		out = append(out, e.Kind)
	}
	return out
}

// inboxEnv is a service with a fake network holding remote actors.
type inboxEnv struct {
	t     *testing.T
	ctx   context.Context
	s     *Service
	f     *fakeFetcher
	pub   *recordingPublisher
	alice *model.Account // local, unlocked
	bob   *model.Account // remote, on remote.example
	mal   *model.Account // remote, on evil.example
}

func newInboxEnv(t *testing.T) *inboxEnv {
	t.Helper()
	s, f, _ := newRemoteTestService(t)
	e := &inboxEnv{t: t, ctx: context.Background(), s: s, f: f, pub: &recordingPublisher{}}
	s.SetPublisher(e.pub)
	e.alice = mustCreateUser(t, s, "alice")
	e.bob = e.remote("remote.example", "bob")
	e.mal = e.remote("evil.example", "mallory")
	return e
}

// remote makes the fake network serve an actor and resolves it.
func (e *inboxEnv) remote(host, name string) *model.Account {
	e.t.Helper()
	uri := "https://" + host + "/users/" + name
	e.f.set(uri, fakeDoc{body: remotePerson(e.t, host, name, "pem", func(p *ap.ActorParams) { p.Locked = false })})
	a, err := e.s.ResolveActor(e.ctx, uri)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// recv decodes body and applies it as delivered by signer.
func (e *inboxEnv) recv(signer *model.Account, body string) error {
	e.t.Helper()
	act, err := ap.Decode([]byte(body))
	if err != nil {
		e.t.Fatalf("decode %s: %v", body, err)
	}
	return e.s.ReceiveActivity(e.ctx, signer.ID, act)
}

func (e *inboxEnv) mustRecv(signer *model.Account, body string) {
	e.t.Helper()
	if err := e.recv(signer, body); err != nil {
		e.t.Fatalf("receive: %v", err)
	}
}

// notes lists the types of alice's notifications, newest first.
func (e *inboxEnv) notes(a *model.Account) []string {
	e.t.Helper()
	ns, err := e.s.store.Notifications(e.ctx, a.ID, store.NotificationFilter{}, store.Page{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, string(n.Type))
	}
	return out
}

func (e *inboxEnv) post(a *model.Account, vis model.Visibility) (*model.Status, string) {
	e.t.Helper()
	v, err := e.s.PostStatus(e.ctx, a, NewStatus{Text: "hello from " + a.Username, Visibility: vis})
	if err != nil {
		e.t.Fatal(err)
	}
	return v.Status, fmt.Sprintf("https://roost.test/users/%s/statuses/%d", a.Username, v.Status.ID)
}

const (
	bobURI   = "https://remote.example/users/bob"
	malURI   = "https://evil.example/users/mallory"
	aliceIRI = "https://roost.test/users/alice"
	apPublic = `"https://www.w3.org/ns/activitystreams#Public"`
)

func TestInboxFollow(t *testing.T) {
	e := newInboxEnv(t)
	follow := `{"type":"Follow","id":"https://remote.example/follows/1","actor":"` + bobURI + `","object":"` + aliceIRI + `"}`
	e.mustRecv(e.bob, follow)
	f, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID)
	if err != nil || f.Pending || f.URI != "https://remote.example/follows/1" {
		t.Fatalf("follow %+v, %v", f, err)
	}
	if got := e.notes(e.alice); len(got) != 1 || got[0] != "follow" {
		t.Errorf("notifications %v, want [follow]", got)
	}
	if k := e.pub.kinds(); len(k) != 1 || k[0] != EventFollowAccepted {
		t.Errorf("events %v, want an accept", k)
	}
	// A repeat makes no second notification, and accepts again.
	e.mustRecv(e.bob, follow)
	if got := e.notes(e.alice); len(got) != 1 {
		t.Errorf("notifications after a repeat: %v", got)
	}
	// Mallory cannot undo bob's follow, by id or embedded.
	err = e.recv(e.mal, `{"type":"Undo","id":"https://evil.example/u/1","actor":"`+malURI+`","object":"https://remote.example/follows/1"}`)
	if !errors.Is(err, model.ErrForbidden) {
		t.Errorf("undo of another's follow by id: %v", err)
	}
	err = e.recv(e.mal, `{"type":"Undo","id":"https://evil.example/u/2","actor":"`+malURI+`","object":`+follow+`}`)
	if !errors.Is(err, model.ErrForbidden) && !errors.Is(err, model.ErrInvalid) {
		t.Errorf("undo of another's follow embedded: %v", err)
	}
	if _, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID); err != nil {
		t.Fatalf("follow gone after a forged undo: %v", err)
	}
	e.mustRecv(e.bob, `{"type":"Undo","id":"https://remote.example/u/1","actor":"`+bobURI+`","object":`+follow+`}`)
	if _, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("follow after undo: %v", err)
	}
	// A follower alice blocks is rejected.
	if err := e.s.store.PutBlock(e.ctx, e.alice.ID, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	e.mustRecv(e.bob, follow)
	if _, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("follow by a blocked account: %v", err)
	}
	if k := e.pub.kinds(); k[len(k)-1] != EventFollowRejected {
		t.Errorf("events %v, want a reject last", k)
	}
}

func TestInboxFollowLocked(t *testing.T) {
	e := newInboxEnv(t)
	e.alice.Locked = true
	if err := e.s.store.UpdateAccount(e.ctx, e.alice); err != nil {
		t.Fatal(err)
	}
	e.mustRecv(e.bob, `{"type":"Follow","id":"https://remote.example/follows/2","actor":"`+bobURI+`","object":"`+aliceIRI+`"}`)
	f, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID)
	if err != nil || !f.Pending {
		t.Fatalf("follow request %+v, %v", f, err)
	}
	if got := e.notes(e.alice); len(got) != 1 || got[0] != "follow_request" {
		t.Errorf("notifications %v", got)
	}
	if k := e.pub.kinds(); len(k) != 0 {
		t.Errorf("a locked account accepted at once: %v", k)
	}
	// Undo by the id alone withdraws the request and its notification.
	e.mustRecv(e.bob, `{"type":"Undo","id":"https://remote.example/u/2","actor":"`+bobURI+`","object":"https://remote.example/follows/2"}`)
	if _, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("request after undo: %v", err)
	}
}

func TestInboxActorMismatch(t *testing.T) {
	e := newInboxEnv(t)
	body := `{"type":"Follow","id":"https://remote.example/follows/3","actor":"` + bobURI + `","object":"` + aliceIRI + `"}`
	if err := e.recv(e.mal, body); !errors.Is(err, ErrActorMismatch) || !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("actor is not the signer: %v", err)
	}
	if _, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a forged follow was stored: %v", err)
	}
}

func TestInboxAcceptReject(t *testing.T) {
	e := newInboxEnv(t)
	const ours = "https://roost.test/follows/abc"
	put := func() {
		if err := e.s.store.PutFollow(e.ctx, &model.Follow{AccountID: e.alice.ID, TargetID: e.bob.ID, Pending: true, URI: ours}); err != nil {
			t.Fatal(err)
		}
	}
	put()
	// Mallory cannot accept a follow of bob.
	e.mustRecv(e.mal, `{"type":"Accept","id":"https://evil.example/a/1","actor":"`+malURI+`","object":"`+ours+`"}`)
	if f, _ := e.s.store.Follow(e.ctx, e.alice.ID, e.bob.ID); f == nil || !f.Pending {
		t.Fatalf("accepted by a third party: %+v", f)
	}
	e.mustRecv(e.bob, `{"type":"Accept","id":"https://remote.example/a/1","actor":"`+bobURI+`","object":"`+ours+`"}`)
	if f, err := e.s.store.Follow(e.ctx, e.alice.ID, e.bob.ID); err != nil || f.Pending {
		t.Fatalf("after accept: %+v, %v", f, err)
	}
	e.mustRecv(e.bob, `{"type":"Reject","id":"https://remote.example/r/1","actor":"`+bobURI+`","object":{"type":"Follow","actor":"`+aliceIRI+`","object":"`+bobURI+`"}}`)
	if _, err := e.s.store.Follow(e.ctx, e.alice.ID, e.bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("after reject: %v", err)
	}
	// Accept by actor and object, without the id.
	put()
	e.mustRecv(e.bob, `{"type":"Accept","id":"https://remote.example/a/2","actor":"`+bobURI+`","object":{"type":"Follow","actor":"`+aliceIRI+`","object":"`+bobURI+`"}}`)
	if f, err := e.s.store.Follow(e.ctx, e.alice.ID, e.bob.ID); err != nil || f.Pending {
		t.Errorf("after accept by pair: %+v, %v", f, err)
	}
}

// TestFollowRemoteWaitsForAccept: following a remote account, even an
// unlocked one, is a request until its server accepts, so no one is shown
// as following before the other side knows of it.
func TestFollowRemoteWaitsForAccept(t *testing.T) {
	e := newInboxEnv(t)
	a := mustAuth(t, e.s, mustToken(t, e.s, "alice", "read write follow"))
	r, err := e.s.Follow(e.ctx, a, e.bob.ID, FollowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Following || !r.Requested {
		t.Fatalf("before the Accept: following %v, requested %v", r.Following, r.Requested)
	}
	if k := e.pub.kinds(); len(k) != 1 || k[0] != EventFollowed {
		t.Errorf("events: %v", k)
	}
	e.mustRecv(e.bob, `{"type":"Accept","id":"https://remote.example/a/9","actor":"`+bobURI+`","object":{"type":"Follow","actor":"`+aliceIRI+`","object":"`+bobURI+`"}}`)
	if r, err = e.s.relationship(e.ctx, a.ViewerID(), e.bob.ID); err != nil || !r.Following || r.Requested {
		t.Errorf("after the Accept: %+v, %v", r, err)
	}
}

// note returns a Create of a Note by bob with the given addressing.
func createNote(id, to, cc, extra string) string {
	return `{"type":"Create","id":"` + id + `/activity","actor":"` + bobURI + `","to":[` + to + `],"cc":[` + cc + `],
		"object":{"type":"Note","id":"` + id + `","attributedTo":"` + bobURI + `","to":[` + to + `],"cc":[` + cc + `],
		"content":"<p>hi <span class=\"h-card\"><a href=\"` + aliceIRI + `\" class=\"u-url mention\">@alice</a></span><script>x()</script> #tag</p>",
		"published":"2025-01-02T03:04:05Z"` + extra + `}}`
}

func TestInboxCreateNote(t *testing.T) {
	e := newInboxEnv(t)
	mention := `,"tag":[{"type":"Mention","href":"` + aliceIRI + `","name":"@alice@roost.test"},{"type":"Hashtag","name":"#Tag","href":"https://remote.example/tags/tag"}],"summary":"cw","contentMap":{"de":"x"}`
	cases := []struct {
		id, to, cc string
		want       model.Visibility
	}{
		{"https://remote.example/notes/pub", apPublic, `"` + bobURI + `/followers"`, model.VisibilityPublic},
		{"https://remote.example/notes/unl", `"` + bobURI + `/followers"`, apPublic, model.VisibilityUnlisted},
		{"https://remote.example/notes/priv", `"` + bobURI + `/followers"`, `"` + aliceIRI + `"`, model.VisibilityPrivate},
		{"https://remote.example/notes/dm", `"` + aliceIRI + `"`, ``, model.VisibilityDirect},
	}
	for _, c := range cases {
		e.mustRecv(e.bob, createNote(c.id, c.to, c.cc, mention))
		st, err := e.s.store.StatusByURI(e.ctx, c.id)
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		if st.Visibility != c.want || st.AccountID != e.bob.ID || st.Local {
			t.Errorf("%s: visibility %s, want %s (%+v)", c.id, st.Visibility, c.want, st)
		}
		if strings.Contains(st.Content, "script") || !strings.Contains(st.Content, "hi") {
			t.Errorf("%s: content not sanitized: %q", c.id, st.Content)
		}
		if st.SpoilerText != "cw" || !st.Sensitive || st.Language != "de" || st.CreatedAt.Year() != 2025 {
			t.Errorf("%s: fields %+v", c.id, st)
		}
		if len(st.Mentions) != 1 || st.Mentions[0].AccountID != e.alice.ID || len(st.Tags) != 1 || st.Tags[0] != "tag" {
			t.Errorf("%s: mentions %+v tags %v", c.id, st.Mentions, st.Tags)
		}
	}
	if got := e.notes(e.alice); len(got) != 4 || got[0] != "mention" {
		t.Errorf("notifications %v, want 4 mentions", got)
	}
	// The direct message reaches alice through the Mastodon-facing view.
	dm, _ := e.s.store.StatusByURI(e.ctx, "https://remote.example/notes/dm")
	if ok, err := e.s.CanSee(e.ctx, e.alice.ID, dm); err != nil || !ok {
		t.Errorf("alice cannot see the DM: %v %v", ok, err)
	}
	if ok, _ := e.s.CanSee(e.ctx, 0, dm); ok {
		t.Error("anyone can see the DM")
	}
	// A repeat stores nothing more.
	e.mustRecv(e.bob, createNote(cases[0].id, cases[0].to, cases[0].cc, mention))
	if got := e.notes(e.alice); len(got) != 4 {
		t.Errorf("notifications after a repeat: %v", got)
	}
	// An account that blocks bob is not told (checked once the block is
	// lifted, as listings hide blocked accounts' notifications anyway).
	if err := e.s.store.PutBlock(e.ctx, e.alice.ID, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	e.mustRecv(e.bob, createNote("https://remote.example/notes/blocked", apPublic, "", mention))
	if err := e.s.store.DeleteBlock(e.ctx, e.alice.ID, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.notes(e.alice); len(got) != 4 {
		t.Errorf("a blocked account's mention notified: %v", got)
	}
}

func TestInboxCreateForeignObject(t *testing.T) {
	e := newInboxEnv(t)
	// Bob claims a note on another host: it is fetched from its origin,
	// which has nothing.
	e.mustRecv(e.bob, strings.ReplaceAll(createNote("https://victim.example/notes/1", apPublic, "", ""), `"attributedTo":"`+bobURI, `"attributedTo":"`+bobURI))
	if _, err := e.s.store.StatusByURI(e.ctx, "https://victim.example/notes/1"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a foreign note was stored: %v", err)
	}
	// The origin serves it, but as bob's: attributed to someone not on its host.
	e.f.set("https://victim.example/notes/2", fakeDoc{body: []byte(`{"type":"Note","id":"https://victim.example/notes/2","attributedTo":"` + bobURI + `","to":[` + apPublic + `],"content":"x"}`)})
	err := e.recv(e.bob, createNote("https://victim.example/notes/2", apPublic, "", ""))
	if !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a foreign note fetched: %v", err)
	}
	// Attributed to another actor.
	body := strings.Replace(createNote("https://remote.example/notes/x", apPublic, "", ""), `"attributedTo":"`+bobURI, `"attributedTo":"https://remote.example/users/carl`, 1)
	if err := e.recv(e.bob, body); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a note attributed to another: %v", err)
	}
	for _, u := range []string{"https://victim.example/notes/2", "https://remote.example/notes/x"} {
		if _, err := e.s.store.StatusByURI(e.ctx, u); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s stored: %v", u, err)
		}
	}
}

func TestInboxReplyFetchesParent(t *testing.T) {
	e := newInboxEnv(t)
	carl := "https://other.example/users/carl"
	e.f.set(carl, fakeDoc{body: remotePerson(t, "other.example", "carl", "pem", nil)})
	// A chain of 5 unknown ancestors: only MaxReplyFetchDepth are fetched.
	for i := 1; i <= 5; i++ {
		reply := ""
		if i > 1 {
			reply = fmt.Sprintf(`,"inReplyTo":"https://other.example/notes/%d"`, i-1)
		}
		e.f.set(fmt.Sprintf("https://other.example/notes/%d", i), fakeDoc{body: []byte(fmt.Sprintf(
			`{"type":"Note","id":"https://other.example/notes/%d","attributedTo":"%s","to":[%s],"content":"n%d"%s}`,
			i, carl, apPublic, i, reply))})
	}
	e.mustRecv(e.bob, createNote("https://remote.example/notes/r", apPublic, "", `,"inReplyTo":"https://other.example/notes/5"`))
	st, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/notes/r")
	if err != nil || st.InReplyToID == 0 {
		t.Fatalf("reply %+v, %v", st, err)
	}
	parent, err := e.s.store.Status(e.ctx, st.InReplyToID)
	if err != nil || parent.URI != "https://other.example/notes/5" || st.ConversationID != parent.ConversationID {
		t.Fatalf("parent %+v, %v", parent, err)
	}
	stored := 0
	for i := 1; i <= 5; i++ {
		if _, err := e.s.store.StatusByURI(e.ctx, fmt.Sprintf("https://other.example/notes/%d", i)); err == nil {
			stored++
		}
	}
	if stored != MaxReplyFetchDepth {
		t.Errorf("%d ancestors stored, want %d", stored, MaxReplyFetchDepth)
	}
	// An unreachable parent: stored without the link.
	e.mustRecv(e.bob, createNote("https://remote.example/notes/r2", apPublic, "", `,"inReplyTo":"https://gone.example/notes/1"`))
	if st, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/notes/r2"); err != nil || st.InReplyToID != 0 {
		t.Errorf("reply to the unreachable %+v, %v", st, err)
	}
}

func TestInboxUpdateDeleteNote(t *testing.T) {
	e := newInboxEnv(t)
	const id = "https://remote.example/notes/e"
	e.mustRecv(e.bob, createNote(id, apPublic, "", ""))
	update := `{"type":"Update","id":"` + id + `#u1","actor":"` + bobURI + `","object":{"type":"Note","id":"` + id + `","attributedTo":"` + bobURI + `","to":[` + apPublic + `],"content":"<p>edited</p>","updated":"2025-03-01T00:00:00Z"}}`
	e.mustRecv(e.bob, update)
	st, err := e.s.store.StatusByURI(e.ctx, id)
	if err != nil || st.Content != "<p>edited</p>" || st.EditedAt == nil {
		t.Fatalf("after update %+v, %v", st, err)
	}
	if h, err := e.s.store.StatusEdits(e.ctx, st.ID); err != nil || len(h) != 1 || !strings.Contains(h[0].Content, "hi") {
		t.Errorf("history %+v, %v", h, err)
	}
	// Mallory's Update of bob's note: the object is fetched from bob's
	// server (not mallory's host), and mallory is not its author.
	e.f.set(id, fakeDoc{body: []byte(`{"type":"Note","id":"` + id + `","attributedTo":"` + bobURI + `","content":"<p>forged</p>"}`)})
	err = e.recv(e.mal, strings.ReplaceAll(update, bobURI, malURI))
	if !errors.Is(err, model.ErrForbidden) {
		t.Errorf("update by another: %v", err)
	}
	// Mallory's Delete of bob's note.
	del := `{"type":"Delete","id":"https://evil.example/d/1","actor":"` + malURI + `","object":{"type":"Tombstone","id":"` + id + `"}}`
	if err := e.recv(e.mal, del); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("delete by another: %v", err)
	}
	if st, err := e.s.store.StatusByURI(e.ctx, id); err != nil || st.Content != "<p>edited</p>" {
		t.Fatalf("after forged update and delete: %+v, %v", st, err)
	}
	e.mustRecv(e.bob, strings.ReplaceAll(del, malURI, bobURI))
	if _, err := e.s.store.StatusByURI(e.ctx, id); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	// Deleting what is unknown is nothing.
	e.mustRecv(e.bob, strings.ReplaceAll(del, malURI, bobURI))
}

func TestInboxLikeAnnounce(t *testing.T) {
	e := newInboxEnv(t)
	st, iri := e.post(e.alice, model.VisibilityPublic)
	like := `{"type":"Like","id":"https://remote.example/likes/1","actor":"` + bobURI + `","object":"` + iri + `"}`
	e.mustRecv(e.bob, like)
	e.mustRecv(e.bob, like)
	if got, _ := e.s.store.Status(e.ctx, st.ID); got.FavouritesCount != 1 {
		t.Errorf("favourites %d", got.FavouritesCount)
	}
	announce := `{"type":"Announce","id":"https://remote.example/boosts/1","actor":"` + bobURI + `","object":"` + iri + `","to":[` + apPublic + `],"cc":["` + aliceIRI + `"]}`
	e.mustRecv(e.bob, announce)
	e.mustRecv(e.bob, announce)
	if got, _ := e.s.store.Status(e.ctx, st.ID); got.ReblogsCount != 1 {
		t.Errorf("reblogs %d", got.ReblogsCount)
	}
	if got := e.notes(e.alice); len(got) != 2 || got[0] != "reblog" || got[1] != "favourite" {
		t.Errorf("notifications %v", got)
	}
	// Mallory cannot undo bob's boost.
	if err := e.recv(e.mal, `{"type":"Undo","id":"https://evil.example/u/9","actor":"`+malURI+`","object":"https://remote.example/boosts/1"}`); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("undo of another's boost: %v", err)
	}
	e.mustRecv(e.bob, `{"type":"Undo","id":"https://remote.example/u/3","actor":"`+bobURI+`","object":`+like+`}`)
	e.mustRecv(e.bob, `{"type":"Undo","id":"https://remote.example/u/4","actor":"`+bobURI+`","object":`+announce+`}`)
	got, _ := e.s.store.Status(e.ctx, st.ID)
	if got.FavouritesCount != 0 || got.ReblogsCount != 0 {
		t.Errorf("after undo: favourites %d reblogs %d", got.FavouritesCount, got.ReblogsCount)
	}
	if n := e.notes(e.alice); len(n) != 0 {
		t.Errorf("notifications after undo: %v", n)
	}
	// A direct status is neither liked nor boosted by an outsider.
	dm, dmIRI := e.post(e.alice, model.VisibilityDirect)
	e.mustRecv(e.bob, strings.ReplaceAll(like, iri, dmIRI))
	e.mustRecv(e.bob, strings.ReplaceAll(strings.ReplaceAll(announce, iri, dmIRI), "boosts/1", "boosts/2"))
	if got, _ := e.s.store.Status(e.ctx, dm.ID); got.FavouritesCount != 0 || got.ReblogsCount != 0 {
		t.Errorf("hidden status counts %+v", got)
	}
	// An Announce of an unknown remote post fetches it.
	e.f.set("https://remote.example/notes/b", fakeDoc{body: []byte(`{"type":"Note","id":"https://remote.example/notes/b","attributedTo":"` + bobURI + `","to":[` + apPublic + `],"content":"b"}`)})
	e.mustRecv(e.bob, strings.ReplaceAll(strings.ReplaceAll(announce, iri, "https://remote.example/notes/b"), "boosts/1", "boosts/3"))
	b, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/boosts/3")
	if err != nil || b.ReblogOfID == 0 {
		t.Errorf("boost of a fetched post: %+v, %v", b, err)
	}
	// An Announce of a post whose server fails is ignored, not retried.
	e.f.set("https://remote.example/notes/down", fakeDoc{err: errors.New("connection refused")})
	err = e.recv(e.bob, strings.ReplaceAll(strings.ReplaceAll(announce, iri, "https://remote.example/notes/down"), "boosts/1", "boosts/4"))
	if err != nil {
		t.Errorf("announce of an unreachable post: %v", err)
	}
	if _, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/boosts/4"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("boost of an unreachable post stored: %v", err)
	}
}

func TestInboxBlock(t *testing.T) {
	e := newInboxEnv(t)
	for _, f := range []*model.Follow{{AccountID: e.alice.ID, TargetID: e.bob.ID}, {AccountID: e.bob.ID, TargetID: e.alice.ID}} {
		if err := e.s.store.PutFollow(e.ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	block := `{"type":"Block","id":"https://remote.example/blocks/1","actor":"` + bobURI + `","object":"` + aliceIRI + `"}`
	e.mustRecv(e.bob, block)
	if b, _ := e.s.store.BlockedEither(e.ctx, e.alice.ID, e.bob.ID); !b {
		t.Error("no block")
	}
	for _, p := range [][2]int64{{e.alice.ID, e.bob.ID}, {e.bob.ID, e.alice.ID}} {
		if _, err := e.s.store.Follow(e.ctx, p[0], p[1]); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("follow %v left: %v", p, err)
		}
	}
	e.mustRecv(e.bob, `{"type":"Undo","id":"https://remote.example/u/5","actor":"`+bobURI+`","object":`+block+`}`)
	if b, _ := e.s.store.BlockedEither(e.ctx, e.alice.ID, e.bob.ID); b {
		t.Error("block after undo")
	}
}

func TestInboxDeleteActor(t *testing.T) {
	e := newInboxEnv(t)
	_, iri := e.post(e.alice, model.VisibilityPublic)
	e.mustRecv(e.bob, createNote("https://remote.example/notes/p", apPublic, "", ""))
	e.mustRecv(e.bob, `{"type":"Like","id":"https://remote.example/likes/2","actor":"`+bobURI+`","object":"`+iri+`"}`)
	e.mustRecv(e.bob, `{"type":"Follow","id":"https://remote.example/follows/9","actor":"`+bobURI+`","object":"`+aliceIRI+`"}`)
	// Mallory cannot delete bob.
	if err := e.recv(e.mal, `{"type":"Delete","id":"https://evil.example/d/2","actor":"`+malURI+`","object":"`+bobURI+`"}`); err != nil {
		t.Logf("delete of another actor: %v", err)
	}
	if _, err := e.s.store.Account(e.ctx, e.bob.ID); err != nil {
		t.Fatalf("bob deleted by mallory: %v", err)
	}
	e.mustRecv(e.bob, `{"type":"Delete","id":"`+bobURI+`#delete","actor":"`+bobURI+`","object":"`+bobURI+`","to":[`+apPublic+`]}`)
	if _, err := e.s.store.Account(e.ctx, e.bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("account after purge: %v", err)
	}
	if _, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/notes/p"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("status after purge: %v", err)
	}
	if a, _ := e.s.store.Account(e.ctx, e.alice.ID); a.FollowersCount != 0 {
		t.Errorf("alice's followers_count %d", a.FollowersCount)
	}
	if n := e.notes(e.alice); len(n) != 0 {
		t.Errorf("notifications after purge: %v", n)
	}
}

func TestInboxIgnored(t *testing.T) {
	e := newInboxEnv(t)
	for _, body := range []string{
		`{"type":"Flag","id":"https://remote.example/f/1","actor":"` + bobURI + `","object":"` + aliceIRI + `"}`,
		`{"type":"Follow","id":"https://remote.example/f/2","actor":"` + bobURI + `","object":"https://roost.test/users/nobody"}`,
		`{"type":"Like","id":"https://remote.example/f/3","actor":"` + bobURI + `","object":"https://roost.test/users/alice/statuses/1"}`,
		`{"type":"Create","id":"https://remote.example/f/4","actor":"` + bobURI + `","object":{"type":"Person","id":"https://remote.example/x"}}`,
	} {
		if err := e.recv(e.bob, body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
	if err := e.recv(e.bob, `{"type":"Create","id":"https://remote.example/f/5","actor":"`+bobURI+`"}`); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("create without object: %v", err)
	}
}

func TestInboxOtherPostTypes(t *testing.T) {
	e := newInboxEnv(t)
	article := `{"type":"Create","id":"https://remote.example/a/1/act","actor":"` + bobURI + `","object":{"type":"Article","id":"https://remote.example/a/1",
		"attributedTo":"` + bobURI + `","to":[` + apPublic + `],"name":"A <b>title</b>","content":"<p>body</p>","url":"https://remote.example/@bob/a/1",
		"attachment":[{"type":"Document","mediaType":"image/png","url":"https://remote.example/m/1.png","name":"a cat"}]}}`
	e.mustRecv(e.bob, article)
	st, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/a/1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.Content, "A &lt;b&gt;title&lt;/b&gt;") || !strings.Contains(st.Content, "body") ||
		!strings.Contains(st.Content, `href="https://remote.example/m/1.png"`) || st.URL != "https://remote.example/@bob/a/1" {
		t.Errorf("article content %q url %q", st.Content, st.URL)
	}
	question := `{"type":"Create","id":"https://remote.example/q/1/act","actor":"` + bobURI + `","object":{"type":"Question","id":"https://remote.example/q/1",
		"attributedTo":"` + bobURI + `","to":[` + apPublic + `],"content":"<p>which?</p>","oneOf":[{"type":"Note","name":"red"},{"type":"Note","name":"blue"}]}}`
	e.mustRecv(e.bob, question)
	st, err = e.s.store.StatusByURI(e.ctx, "https://remote.example/q/1")
	if err != nil || !strings.Contains(st.Content, "red") || !strings.Contains(st.Content, "blue") {
		t.Errorf("question %+v, %v", st, err)
	}
}

func TestInboxUpdatePerson(t *testing.T) {
	e := newInboxEnv(t)
	e.f.set(bobURI, fakeDoc{body: remotePerson(t, "remote.example", "bob", "pem-2", func(p *ap.ActorParams) { p.Name = "Bob Renamed" })})
	update := `{"type":"Update","id":"` + bobURI + `#updates/1","actor":"` + bobURI + `","object":{"type":"Person","id":"` + bobURI + `","preferredUsername":"bob"}}`
	e.mustRecv(e.bob, update)
	a, err := e.s.store.Account(e.ctx, e.bob.ID)
	if err != nil || a.DisplayName != "Bob Renamed" {
		t.Errorf("after update: %+v, %v", a, err)
	}
	ra, err := e.s.store.RemoteActor(e.ctx, e.bob.ID)
	if err != nil || ra.PublicKeyPEM != "pem-2" {
		t.Errorf("key after update: %+v, %v", ra, err)
	}
	// Mallory cannot update bob.
	bad := strings.ReplaceAll(update, `"actor":"`+bobURI, `"actor":"`+malURI)
	if err := e.recv(e.mal, bad); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("update of another actor: %v", err)
	}
}
