package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// allVisibilities posts one status of each visibility by a, mentioning
// bob, and returns them by visibility.
func allVisibilities(t *testing.T, e *testEnv, a *model.Account) map[model.Visibility]*model.Status {
	t.Helper()
	out := map[model.Visibility]*model.Status{}
	for _, v := range []model.Visibility{model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate, model.VisibilityDirect} {
		out[v] = e.post(t, a, fmt.Sprintf("secret-%s post for @bob", v), v)
	}
	return out
}

// decodeAP decodes an ActivityStreams response.
func decodeAP(t *testing.T, body []byte) *ap.Object {
	t.Helper()
	o, err := ap.Decode(body)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	return o
}

func TestOutbox(t *testing.T) {
	e := newTestEnv(t, nil)
	alice, bob := e.user(t, "alice"), e.user(t, "bob")
	sts := allVisibilities(t, e, alice)
	if _, err := e.svc.Reblog(context.Background(), alice, e.post(t, bob, "bob's post", model.VisibilityPublic).ID, ""); err != nil {
		t.Fatal(err)
	}

	// totalItems is the status count the Mastodon API shows, as in
	// Mastodon: here four posts (Roost does not count boosts).
	a, err := e.svc.LocalActor(context.Background(), "alice")
	if err != nil || a.StatusesCount != 4 {
		t.Fatalf("statuses count %d, %v", a.StatusesCount, err)
	}
	c := decodeAP(t, e.getAP(t, "/users/alice/outbox", 200).Body.Bytes())
	const id = "https://roost.test/users/alice/outbox"
	if c.Type != ap.TypeOrderedCollection || c.ID != id || c.TotalItems == nil || *c.TotalItems != a.StatusesCount ||
		c.First.IRI != id+"?page=true" || c.Last.IRI != id+"?min_id=0&page=true" || len(c.Items) != 0 {
		t.Errorf("collection %+v, totalItems %d", c, *c.TotalItems)
	}

	w := e.getAP(t, "/users/alice/outbox?page=true", 200)
	for _, v := range []model.Visibility{model.VisibilityPrivate, model.VisibilityDirect} {
		if strings.Contains(w.Body.String(), "secret-"+string(v)) || strings.Contains(w.Body.String(), model.FormatID(sts[v].ID)) {
			t.Errorf("the outbox shows a %s status:\n%s", v, w.Body)
		}
	}
	page := decodeAP(t, w.Body.Bytes())
	if page.Type != ap.TypeOrderedCollectionPage || page.PartOf.IRI != id || page.ID != id+"?page=true" {
		t.Errorf("page %+v", page)
	}
	want := []model.Visibility{model.VisibilityUnlisted, model.VisibilityPublic} // newest first
	if len(page.Items) != len(want) {
		t.Fatalf("page has %d items, want %d:\n%s", len(page.Items), len(want), w.Body)
	}
	for i, v := range want {
		act := page.Items[i].Object
		noteID := "https://roost.test/users/alice/statuses/" + model.FormatID(sts[v].ID)
		if act == nil || act.Type != ap.TypeCreate || act.ID != noteID+"/activity" || act.ActorIRI() != "https://roost.test/users/alice" {
			t.Fatalf("item %d: %+v", i, act)
		}
		note := act.Embedded()
		if note == nil || note.ID != noteID || ap.VisibilityOf(note, "https://roost.test/users/alice/followers") != v {
			t.Errorf("item %d: note %+v, want %s", i, note, v)
		}
	}
}

func TestOutboxPaging(t *testing.T) {
	e := newTestEnv(t, nil)
	alice := e.user(t, "alice")
	var ids []int64
	for i := range outboxPageSize + 5 {
		ids = append(ids, e.post(t, alice, fmt.Sprintf("post %d", i), model.VisibilityPublic).ID)
	}
	first := decodeAP(t, e.getAP(t, "/users/alice/outbox?page=true", 200).Body.Bytes())
	if len(first.Items) != outboxPageSize {
		t.Fatalf("first page: %d items", len(first.Items))
	}
	next, err := url.Parse(first.Next.IRI)
	if err != nil || next.Query().Get("max_id") != model.FormatID(ids[5]) {
		t.Fatalf("next %q", first.Next.IRI)
	}
	second := decodeAP(t, e.getAP(t, next.RequestURI(), 200).Body.Bytes())
	if len(second.Items) != 5 || second.ID != first.Next.IRI {
		t.Fatalf("second page: %d items, id %q", len(second.Items), second.ID)
	}
	if got := second.Items[4].Object.Embedded().ID; !strings.HasSuffix(got, "/"+model.FormatID(ids[0])) {
		t.Errorf("last item %s, want the oldest post", got)
	}
	last := decodeAP(t, e.getAP(t, "/users/alice/outbox?min_id=0&page=true", 200).Body.Bytes())
	if len(last.Items) != outboxPageSize || !strings.HasSuffix(last.Items[len(last.Items)-1].Object.Embedded().ID, "/"+model.FormatID(ids[0])) {
		t.Errorf("last page: %d items", len(last.Items))
	}
	prev, _ := url.Parse(second.Prev.IRI)
	back := decodeAP(t, e.getAP(t, prev.RequestURI(), 200).Body.Bytes())
	if len(back.Items) != outboxPageSize {
		t.Errorf("prev of the second page: %d items", len(back.Items))
	}
	for _, bad := range []string{"?page=true&max_id=abc", "?page=true&min_id=-1"} {
		e.getAP(t, "/users/alice/outbox"+bad, 400)
	}
	empty := decodeAP(t, e.getAP(t, "/users/alice/outbox?page=true&max_id="+model.FormatID(ids[0]), 200).Body.Bytes())
	if len(empty.Items) != 0 || !empty.Next.IsZero() {
		t.Errorf("page past the end: %+v", empty)
	}
}

func TestFollowCollections(t *testing.T) {
	e := newTestEnv(t, nil)
	alice, bob, carol := e.user(t, "alice"), e.user(t, "bob"), e.user(t, "carol")
	ctx := context.Background()
	for _, f := range [][2]*model.Account{{bob, alice}, {carol, alice}, {alice, bob}} {
		if _, err := e.svc.Follow(ctx, &core.Auth{Account: f[0]}, f[1].ID, core.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for path, n := range map[string]int{"followers": 2, "following": 1} {
		w := e.getAP(t, "/users/alice/"+path, 200)
		c := decodeAP(t, w.Body.Bytes())
		if c.Type != ap.TypeOrderedCollection || c.ID != "https://roost.test/users/alice/"+path ||
			c.TotalItems == nil || *c.TotalItems != n {
			t.Errorf("%s: %+v", path, c)
		}
		if m := decodeMap(t, w); m["first"] != nil || m["orderedItems"] != nil || strings.Contains(w.Body.String(), "/users/bob") {
			t.Errorf("%s lists accounts: %s", path, w.Body)
		}
	}
}

func TestFeatured(t *testing.T) {
	e := newTestEnv(t, nil)
	alice := e.user(t, "alice")
	e.user(t, "bob")
	sts := allVisibilities(t, e, alice)
	e.post(t, alice, "not pinned", model.VisibilityPublic)
	for _, v := range []model.Visibility{model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate} {
		if _, err := e.svc.Pin(context.Background(), alice.ID, sts[v].ID); err != nil {
			t.Fatalf("pin %s: %v", v, err)
		}
	}
	w := e.getAP(t, "/users/alice/collections/featured", 200)
	c := decodeAP(t, w.Body.Bytes())
	if c.Type != ap.TypeOrderedCollection || c.TotalItems == nil || *c.TotalItems != 2 || len(c.Items) != 2 {
		t.Fatalf("featured %s", w.Body)
	}
	got := map[string]bool{}
	for _, it := range c.Items {
		if it.Object == nil || it.Object.Type != ap.TypeNote {
			t.Fatalf("item %+v", it)
		}
		got[it.Object.ID] = true
	}
	for _, v := range []model.Visibility{model.VisibilityPublic, model.VisibilityUnlisted} {
		if !got["https://roost.test/users/alice/statuses/"+model.FormatID(sts[v].ID)] {
			t.Errorf("featured lacks the pinned %s status", v)
		}
	}
	if strings.Contains(w.Body.String(), "secret-private") {
		t.Error("featured shows a followers-only status")
	}
}

func TestInstanceOutbox(t *testing.T) {
	e := newTestEnv(t, nil)
	c := decodeAP(t, e.getAP(t, "/actor/outbox", 200).Body.Bytes())
	if c.Type != ap.TypeOrderedCollection || c.TotalItems == nil || *c.TotalItems != 0 {
		t.Errorf("%+v", c)
	}
}
