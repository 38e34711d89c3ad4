package core

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// instanceBlock adds an instance domain block.
func (e *inboxEnv) instanceBlock(b store.DomainBlock) {
	e.t.Helper()
	if _, err := e.s.AddDomainBlock(e.ctx, b, true); err != nil {
		e.t.Fatal(err)
	}
}

// acceptedFollow stores an accepted follow of target by a.
func (e *inboxEnv) acceptedFollow(a, target *model.Account) {
	e.t.Helper()
	if err := e.s.store.PutFollow(e.ctx, &model.Follow{ID: model.NewID(e.s.now()), AccountID: a.ID, TargetID: target.ID, Reblogs: true}); err != nil {
		e.t.Fatal(err)
	}
}

// limitedNote is a Create of a public Note by actor (on host), mentioning
// mentioned (actor URIs), with extra fields appended to the Note.
func limitedNote(actor, id string, mentioned []string, extra string) string {
	var tags []string
	for _, m := range mentioned {
		tags = append(tags, `{"type":"Mention","href":"`+m+`"}`)
	}
	tags = append(tags, `{"type":"Hashtag","name":"#limited"}`)
	return `{"type":"Create","id":"` + id + `/activity","actor":"` + actor + `","to":[` + apPublic + `],
		"object":{"type":"Note","id":"` + id + `","attributedTo":"` + actor + `","to":[` + apPublic + `],
		"content":"<p>hello #limited</p>","tag":[` + strings.Join(tags, ",") + `]` + extra + `}}`
}

func (e *inboxEnv) statusIDOf(uri string) int64 {
	e.t.Helper()
	st, err := e.s.store.StatusByURI(e.ctx, uri)
	if err != nil {
		e.t.Fatalf("%s: %v", uri, err)
	}
	return st.ID
}

// TestSilencedDomain: a silenced domain's posts leave the public and
// hashtag timelines and account search of those who do not follow the
// author, stay in a follower's home and public views, and open directly;
// its mentions notify followers only.
func TestSilencedDomain(t *testing.T) {
	e := newInboxEnv(t)
	carol := mustCreateUser(t, e.s, "carol")
	carolIRI := "https://roost.test/users/carol"
	e.acceptedFollow(carol, e.bob)
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeveritySilence})

	e.mustRecv(e.bob, limitedNote(bobURI, "https://remote.example/notes/s1", []string{aliceIRI, carolIRI}, ""))
	e.mustRecv(e.mal, limitedNote(malURI, "https://evil.example/notes/m1", nil, ""))
	bobNote, malNote := e.statusIDOf("https://remote.example/notes/s1"), e.statusIDOf("https://evil.example/notes/m1")

	shown := func(what string, l *Listing[*StatusView], err error, id int64, want bool) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := slices.Contains(ids(l.Items), id); got != want {
			t.Errorf("%s: status %d shown %v, want %v", what, id, got, want)
		}
	}
	for _, v := range []struct {
		name string
		id   int64
		sees bool
	}{{"alice", e.alice.ID, false}, {"signed out", 0, false}, {"carol (follower)", carol.ID, true}} {
		l, err := e.s.PublicTimeline(e.ctx, v.id, store.TimelineOptions{}, store.Page{})
		shown(v.name+" public", l, err, bobNote, v.sees)
		shown(v.name+" public, other domain", l, err, malNote, true)
		l, err = e.s.PublicTimeline(e.ctx, v.id, store.TimelineOptions{Remote: true}, store.Page{})
		shown(v.name+" federated", l, err, bobNote, v.sees)
		l, err = e.s.TagTimeline(e.ctx, v.id, "limited", store.TimelineOptions{}, store.Page{})
		shown(v.name+" tag", l, err, bobNote, v.sees)
		if l.Newest == 0 || l.Oldest == 0 {
			t.Errorf("%s tag: paging keys lost: %d..%d", v.name, l.Newest, l.Oldest)
		}
	}
	l, err := e.s.HomeTimeline(e.ctx, carol.ID, store.Page{})
	shown("carol home", l, err, bobNote, true)
	// A status opened directly is shown, as in Mastodon.
	if _, err := e.s.Status(e.ctx, e.alice.ID, bobNote); err != nil {
		t.Errorf("alice opens bob's status: %v", err)
	}
	// Only carol, who follows bob, hears of the mention.
	if got := e.notes(e.alice); len(got) != 0 {
		t.Errorf("alice notified by a silenced stranger: %v", got)
	}
	if got := e.notes(carol); len(got) != 1 || got[0] != "mention" {
		t.Errorf("carol's notifications %v, want [mention]", got)
	}
	// Account search leaves bob out for alice, not for carol.
	for _, v := range []struct {
		who  *model.Account
		want bool
	}{{e.alice, false}, {carol, true}} {
		found, err := e.s.SearchAccounts(e.ctx, v.who.ID, "bob", false, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(found, func(a *model.Account) bool { return a.ID == e.bob.ID })
		if got != v.want {
			t.Errorf("search by %s finds bob: %v, want %v", v.who.Username, got, v.want)
		}
	}
	// Lifting the silence shows bob to everyone again.
	if err := e.s.RemoveDomainBlock(e.ctx, "remote.example"); err != nil {
		t.Fatal(err)
	}
	l, err = e.s.PublicTimeline(e.ctx, e.alice.ID, store.TimelineOptions{}, store.Page{})
	shown("alice public after lifting", l, err, bobNote, true)
}

// TestSilencedDirectMention: a silenced stranger's direct message neither
// notifies nor reaches the home timeline (which holds followed accounts
// only); a followed one does both.
func TestSilencedDirectMention(t *testing.T) {
	e := newInboxEnv(t)
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeveritySilence})
	dm := `,"tag":[{"type":"Mention","href":"` + aliceIRI + `"}]`
	e.mustRecv(e.bob, createNote("https://remote.example/notes/dm1", `"`+aliceIRI+`"`, ``, dm))
	first := e.statusIDOf("https://remote.example/notes/dm1")
	l, err := e.s.HomeTimeline(e.ctx, e.alice.ID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(l.Items), first) || len(e.notes(e.alice)) != 0 {
		t.Errorf("a silenced stranger's DM reached alice: home %v, notifications %v", ids(l.Items), e.notes(e.alice))
	}
	e.acceptedFollow(e.alice, e.bob)
	e.mustRecv(e.bob, createNote("https://remote.example/notes/dm2", `"`+aliceIRI+`"`, ``, dm))
	l, _ = e.s.HomeTimeline(e.ctx, e.alice.ID, store.Page{})
	if !slices.Contains(ids(l.Items), e.statusIDOf("https://remote.example/notes/dm2")) {
		t.Errorf("a followed silenced account's DM is missing from home: %v", ids(l.Items))
	}
	if got := e.notes(e.alice); len(got) != 1 || got[0] != "mention" {
		t.Errorf("notifications %v, want [mention]", got)
	}
}

// TestSilencedFollowIsRequest: a silenced account's follow of an unlocked
// account waits for approval, and is no notification to a non-follower.
func TestSilencedFollowIsRequest(t *testing.T) {
	e := newInboxEnv(t)
	e.instanceBlock(store.DomainBlock{Domain: "sub.remote.example", Severity: store.SeverityNoop})
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeveritySilence})
	e.mustRecv(e.bob, `{"type":"Follow","id":"https://remote.example/follows/s1","actor":"`+bobURI+`","object":"`+aliceIRI+`"}`)
	f, err := e.s.store.Follow(e.ctx, e.bob.ID, e.alice.ID)
	if err != nil || !f.Pending {
		t.Fatalf("follow %+v, %v; want a request", f, err)
	}
	if k := e.pub.kinds(); len(k) != 0 {
		t.Errorf("events %v, want none (no Accept)", k)
	}
	if got := e.notes(e.alice); len(got) != 0 {
		t.Errorf("notifications %v", got)
	}
	// Mallory's domain is not silenced: accepted at once.
	e.mustRecv(e.mal, `{"type":"Follow","id":"https://evil.example/follows/1","actor":"`+malURI+`","object":"`+aliceIRI+`"}`)
	if f, err := e.s.store.Follow(e.ctx, e.mal.ID, e.alice.ID); err != nil || f.Pending {
		t.Errorf("follow by mallory %+v, %v", f, err)
	}
	// The nearer noop block of sub.remote.example wins over the silence.
	sub := e.remote("sub.remote.example", "sue")
	e.mustRecv(sub, `{"type":"Follow","id":"https://sub.remote.example/follows/1","actor":"https://sub.remote.example/users/sue","object":"`+aliceIRI+`"}`)
	if f, err := e.s.store.Follow(e.ctx, sub.ID, e.alice.ID); err != nil || f.Pending {
		t.Errorf("follow by sue %+v, %v", f, err)
	}
}

// TestRejectMedia: attachments of posts from a reject_media domain are not
// kept, on create and on edit; other domains keep theirs.
func TestRejectMedia(t *testing.T) {
	e := newInboxEnv(t)
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeverityNoop, RejectMedia: true})
	att := `,"attachment":[{"type":"Document","mediaType":"image/png","url":"https://files.example/cat.png","name":"a cat"}]`
	content := func(uri string) string {
		t.Helper()
		st, err := e.s.store.StatusByURI(e.ctx, uri)
		if err != nil {
			t.Fatal(err)
		}
		return st.Content
	}
	e.mustRecv(e.bob, limitedNote(bobURI, "https://remote.example/notes/r1", nil, att))
	e.mustRecv(e.mal, limitedNote(malURI, "https://evil.example/notes/r1", nil, att))
	if c := content("https://remote.example/notes/r1"); strings.Contains(c, "cat.png") || !strings.Contains(c, "hello") {
		t.Errorf("rejected media kept: %q", c)
	}
	if c := content("https://evil.example/notes/r1"); !strings.Contains(c, "https://files.example/cat.png") {
		t.Errorf("media of another domain dropped: %q", c)
	}
	upd := `{"type":"Update","id":"https://remote.example/notes/r1/u1","actor":"` + bobURI + `",
		"object":{"type":"Note","id":"https://remote.example/notes/r1","attributedTo":"` + bobURI + `","to":[` + apPublic + `],
		"content":"<p>edited</p>"` + att + `}}`
	e.mustRecv(e.bob, upd)
	if c := content("https://remote.example/notes/r1"); strings.Contains(c, "cat.png") || !strings.Contains(c, "edited") {
		t.Errorf("rejected media kept on edit: %q", c)
	}
}

// severPublisher records, for each Reject or Undo of a follow,
// whether the follow row still existed when the event was published.
type severPublisher struct {
	s      *Service
	mu     sync.Mutex
	events []Event
	rowWas []bool
}

func (p *severPublisher) Publish(ctx context.Context, e Event) error {
	var err error
	switch e.Kind {
	case EventFollowRejected:
		_, err = p.s.store.Follow(ctx, e.TargetID, e.ActorID)
	case EventUnfollowed:
		_, err = p.s.store.Follow(ctx, e.ActorID, e.TargetID)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
	p.rowWas = append(p.rowWas, err == nil)
	return nil
}

// TestUserDomainBlockSevers: blocking a domain rejects its accounts'
// follows and requests (each Reject published while the row exists) and
// undoes the blocker's follows of them; other domains are untouched.
func TestUserDomainBlockSevers(t *testing.T) {
	e := newInboxEnv(t)
	pub := &severPublisher{s: e.s}
	e.s.SetPublisher(pub)
	sue := e.remote("sub.remote.example", "sue")
	e.acceptedFollow(e.bob, e.alice)
	e.acceptedFollow(e.mal, e.alice)
	e.acceptedFollow(e.alice, e.bob)
	if err := e.s.store.PutFollow(e.ctx, &model.Follow{ID: model.NewID(e.s.now()), AccountID: sue.ID, TargetID: e.alice.ID, Pending: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.BlockDomain(e.ctx, &Auth{Account: e.alice}, "remote.example"); err != nil {
		t.Fatal(err)
	}
	gone := func(from, to *model.Account, want bool) {
		t.Helper()
		_, err := e.s.store.Follow(e.ctx, from.ID, to.ID)
		if errors.Is(err, model.ErrNotFound) != want {
			t.Errorf("follow %s → %s: %v, want gone %v", from.Username, to.Username, err, want)
		}
	}
	gone(e.bob, e.alice, true)
	gone(sue, e.alice, true)
	gone(e.alice, e.bob, true)
	gone(e.mal, e.alice, false)
	want := map[Event]bool{
		{Kind: EventFollowRejected, ActorID: e.alice.ID, TargetID: e.bob.ID}: true,
		{Kind: EventFollowRejected, ActorID: e.alice.ID, TargetID: sue.ID}:   true,
		{Kind: EventUnfollowed, ActorID: e.alice.ID, TargetID: e.bob.ID}:     true,
	}
	if len(pub.events) != len(want) {
		t.Errorf("events %+v, want %d", pub.events, len(want))
	}
	for i, ev := range pub.events {
		if !want[ev] {
			t.Errorf("unexpected event %+v", ev)
		}
		if !pub.rowWas[i] {
			t.Errorf("event %+v published after its follow row was deleted", ev)
		}
	}
	// Blocking again finds nothing more to sever.
	if err := e.s.BlockDomain(e.ctx, &Auth{Account: e.alice}, "remote.example"); err != nil || len(pub.events) != len(want) {
		t.Errorf("second block: %v, events %d", err, len(pub.events))
	}
}

// TestThreadFilters: a thread leaves out replies from a domain the viewer
// blocks, and from silenced accounts the viewer does not follow; the
// blocked domain's reply still opens directly.
func TestThreadFilters(t *testing.T) {
	e := newInboxEnv(t)
	carol := mustCreateUser(t, e.s, "carol")
	root, rootURL := e.post(e.alice, model.VisibilityPublic)
	reply := `,"inReplyTo":"` + rootURL + `"`
	e.mustRecv(e.bob, limitedNote(bobURI, "https://remote.example/notes/t1", nil, reply))
	e.mustRecv(e.mal, limitedNote(malURI, "https://evil.example/notes/t1", nil, reply))
	bobReply, malReply := e.statusIDOf("https://remote.example/notes/t1"), e.statusIDOf("https://evil.example/notes/t1")
	carolReply, err := e.s.PostStatus(e.ctx, carol, NewStatus{Text: "me too", Visibility: model.VisibilityPublic, InReplyToID: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.BlockDomain(e.ctx, &Auth{Account: e.alice}, "remote.example"); err != nil {
		t.Fatal(err)
	}
	e.instanceBlock(store.DomainBlock{Domain: "evil.example", Severity: store.SeveritySilence})
	e.acceptedFollow(carol, e.mal)
	check := func(viewer int64, want ...int64) {
		t.Helper()
		c, err := e.s.Context(e.ctx, viewer, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(c.Descendants)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("viewer %d: descendants %v, want %v", viewer, got, want)
		}
	}
	check(e.alice.ID, carolReply.Status.ID)
	check(carol.ID, bobReply, malReply, carolReply.Status.ID) // carol follows mallory
	check(0, bobReply, carolReply.Status.ID)
	if _, err := e.s.Status(e.ctx, e.alice.ID, bobReply); err != nil {
		t.Errorf("alice opens a status of a domain she blocks: %v", err)
	}
}
