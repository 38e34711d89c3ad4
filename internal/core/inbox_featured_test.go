package core

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const bobFeatured = bobURI + "/collections/featured"

// featuredActivity is an Add or Remove of object to target by actor.
func featuredActivity(typ, n, actor, object, target string) string {
	return `{"type":"` + typ + `","id":"` + actor + `#f/` + n + `","actor":"` + actor + `","object":` + object +
		`,"target":"` + target + `"}`
}

// pinnedOf lists the URIs of owner's pinned statuses that viewer may see.
func (e *inboxEnv) pinnedOf(viewer, owner *model.Account) []string {
	e.t.Helper()
	l, err := e.s.AccountStatuses(e.ctx, viewer.ID, owner.ID, store.StatusFilter{Pinned: true}, store.Page{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, v := range l.Items {
		out = append(out, v.Status.URI)
	}
	slices.Sort(out)
	return out
}

func TestInboxAddRemoveFeatured(t *testing.T) {
	e := newInboxEnv(t)
	pub, priv := "https://remote.example/notes/pub", "https://remote.example/notes/priv"
	e.mustRecv(e.bob, createNote(pub, apPublic, "", ""))
	e.mustRecv(e.bob, createNote(priv, `"`+bobURI+`/followers"`, "", ""))
	// An unknown status is fetched from its origin.
	fetched := "https://remote.example/notes/fetched"
	e.f.set(fetched, fakeDoc{body: []byte(`{"type":"Note","id":"` + fetched + `","attributedTo":"` + bobURI +
		`","to":[` + apPublic + `],"content":"pinned"}`)})

	e.mustRecv(e.bob, featuredActivity("Add", "1", bobURI, `"`+pub+`"`, bobFeatured))
	e.mustRecv(e.bob, featuredActivity("Add", "1", bobURI, `"`+pub+`"`, bobFeatured)) // again: nothing more
	e.mustRecv(e.bob, featuredActivity("Add", "2", bobURI, `{"type":"Note","id":"`+fetched+`"}`, bobFeatured))
	e.mustRecv(e.bob, featuredActivity("Add", "3", bobURI, `"`+priv+`"`, bobFeatured))
	if got, want := e.pinnedOf(e.alice, e.bob), []string{fetched, pub}; !slices.Equal(got, want) {
		t.Errorf("bob's pins seen by alice, who does not follow him: %v, want %v", got, want)
	}
	if n, _ := e.s.store.CountPins(e.ctx, e.bob.ID); n != 3 {
		t.Errorf("bob has %d pins, want 3", n)
	}

	// Featured hashtags, another collection: ignored without error.
	e.mustRecv(e.bob, featuredActivity("Remove", "4", bobURI, `"`+pub+`"`, bobURI+"/collections/tags"))
	e.mustRecv(e.bob, featuredActivity("Add", "5", bobURI,
		`{"type":"Hashtag","href":"https://remote.example/tags/x","name":"#x"}`, bobURI+"/collections/tags"))
	e.mustRecv(e.bob, featuredActivity("Remove", "6", bobURI, `"`+pub+`"`, malURI+"/collections/featured"))
	if got := e.pinnedOf(e.alice, e.bob); len(got) != 2 {
		t.Errorf("pins after other collections: %v", got)
	}

	// Another actor's status cannot be pinned by bob, on his host or not.
	carl := "https://remote.example/users/carl"
	e.f.set(carl, fakeDoc{body: remotePerson(t, "remote.example", "carl", "pem", nil)})
	carls := "https://remote.example/notes/carls"
	e.f.set(carls, fakeDoc{body: []byte(`{"type":"Note","id":"` + carls + `","attributedTo":"` + carl +
		`","to":[` + apPublic + `],"content":"carl's"}`)})
	malNote := "https://evil.example/notes/1"
	for _, obj := range []string{carls, malNote} {
		err := e.recv(e.bob, featuredActivity("Add", "7", bobURI, `"`+obj+`"`, bobFeatured))
		if !errors.Is(err, model.ErrForbidden) {
			t.Errorf("bob pinning %s: %v, want forbidden", obj, err)
		}
	}
	if n, _ := e.s.store.CountPins(e.ctx, e.bob.ID); n != 3 {
		t.Errorf("bob has %d pins after refused ones, want 3", n)
	}
	// mallory's Add to bob's collection targets no collection of hers.
	e.mustRecv(e.mal, featuredActivity("Remove", "8", malURI, `"`+pub+`"`, bobFeatured))
	if n, _ := e.s.store.CountPins(e.ctx, e.bob.ID); n != 3 {
		t.Errorf("mallory unpinned bob's status")
	}

	// Remove unpins; removing an unknown or unpinned status is no error.
	e.mustRecv(e.bob, featuredActivity("Remove", "9", bobURI, `"`+pub+`"`, bobFeatured))
	e.mustRecv(e.bob, featuredActivity("Remove", "9b", bobURI, `"`+pub+`"`, bobFeatured))
	e.mustRecv(e.bob, featuredActivity("Remove", "10", bobURI, `"https://remote.example/notes/none"`, bobFeatured))
	if got, want := e.pinnedOf(e.alice, e.bob), []string{fetched}; !slices.Equal(got, want) {
		t.Errorf("after Remove: %v, want %v", got, want)
	}
	if err := e.recv(e.bob, `{"type":"Add","id":"https://remote.example/a/x","actor":"`+bobURI+
		`","target":"`+bobFeatured+`"}`); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("Add without object: %v", err)
	}
}

func TestInboxAddFeaturedBounded(t *testing.T) {
	e := newInboxEnv(t)
	for i := range MaxRemotePins + 2 {
		uri := fmt.Sprintf("https://remote.example/notes/%d", i)
		e.mustRecv(e.bob, createNote(uri, apPublic, "", ""))
		e.mustRecv(e.bob, featuredActivity("Add", fmt.Sprint(i), bobURI, `"`+uri+`"`, bobFeatured))
	}
	if n, _ := e.s.store.CountPins(e.ctx, e.bob.ID); n != MaxRemotePins {
		t.Errorf("%d pins, want %d", n, MaxRemotePins)
	}
}
