package federation

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

func statusPath(username string, st *model.Status) string {
	return "/users/" + username + "/statuses/" + model.FormatID(st.ID)
}

// TestStatusVisibility fetches a status of each visibility, as a Note and
// as its Create, without a signature.
func TestStatusVisibility(t *testing.T) {
	e := newTestEnv(t, nil)
	alice := e.user(t, "alice")
	e.user(t, "bob")
	sts := allVisibilities(t, e, alice)
	const actor, followers = "https://roost.test/users/alice", "https://roost.test/users/alice/followers"
	for v, st := range sts {
		for _, suffix := range []string{"", "/activity"} {
			path := statusPath("alice", st) + suffix
			w := e.get(path, apAccept)
			if v == model.VisibilityPrivate || v == model.VisibilityDirect {
				if w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" || strings.Contains(w.Body.String(), "secret") {
					t.Errorf("%s (%s): status %d, headers %v, body %s", path, v, w.Code, w.Header(), w.Body)
				}
				continue
			}
			if w.Code != 200 || w.Header().Get("Cache-Control") != cachePublic {
				t.Fatalf("%s (%s): status %d", path, v, w.Code)
			}
			o := decodeAP(t, w.Body.Bytes())
			note := o
			if suffix != "" {
				if o.Type != ap.TypeCreate || o.ActorIRI() != actor || o.ID != "https://roost.test"+path {
					t.Errorf("%s: %+v", path, o)
				}
				note = o.Embedded()
			}
			if note.Type != ap.TypeNote || note.ID != "https://roost.test"+statusPath("alice", st) ||
				note.AttributedToIRI() != actor || ap.VisibilityOf(note, followers) != v ||
				note.HTMLURL() != "https://roost.test/@alice/"+model.FormatID(st.ID) ||
				!strings.Contains(note.Content, "secret-"+string(v)) {
				t.Errorf("%s: note %+v", path, note)
			}
			if !slices.Contains(note.Mentions(), "https://roost.test/users/bob") {
				t.Errorf("%s: mentions %v", path, note.Mentions())
			}
		}
	}
}

// TestSignedFetchSeam plugs a Requester in where signed fetches will be
// verified: a follower sees a followers-only status (kept out of shared
// caches), others get 404, and a failed signature is 401.
func TestSignedFetchSeam(t *testing.T) {
	e := newTestEnv(t, nil)
	alice, bob, carol := e.user(t, "alice"), e.user(t, "bob"), e.user(t, "carol")
	if _, err := e.svc.Follow(context.Background(), &core.Auth{Account: bob}, alice.ID, core.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	st := e.post(t, alice, "for followers", model.VisibilityPrivate)
	pub := e.post(t, alice, "for all", model.VisibilityPublic)
	var signer int64
	var sigErr error
	e.h = New(e.svc, Options{
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Requester: func(*http.Request) (int64, error) { return signer, sigErr },
	})
	signer = bob.ID
	if w := e.get(statusPath("alice", st), apAccept); w.Code != 200 || w.Header().Get("Cache-Control") != "private, no-store" {
		t.Errorf("follower: status %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
	signer = carol.ID
	e.getAP(t, statusPath("alice", st), 404)
	e.getAP(t, statusPath("alice", pub), 200)
	signer, sigErr = 0, errors.New("bad signature")
	e.getAP(t, statusPath("alice", pub), 401)
}

func TestStatusNotFound(t *testing.T) {
	e := newTestEnv(t, nil)
	alice, bob := e.user(t, "alice"), e.user(t, "bob")
	st := e.post(t, alice, "hello", model.VisibilityPublic)
	boost, err := e.svc.Reblog(context.Background(), bob, st.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	gone := e.post(t, alice, "soon gone", model.VisibilityPublic)
	if _, err := e.svc.DeleteStatus(context.Background(), alice.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	id := model.FormatID(st.ID)
	for _, path := range []string{
		"/users/bob/statuses/" + id,     // someone else's
		"/users/alice/statuses/1",       // never existed
		"/users/alice/statuses/abc",     // not an id
		"/users/alice/statuses/-5",      // not an id
		statusPath("bob", boost.Status), // a boost
		statusPath("bob", boost.Status) + "/activity",
		statusPath("alice", gone), // deleted
	} {
		e.getAP(t, path, 404)
	}
}

func TestNoteContent(t *testing.T) {
	e := newTestEnv(t, nil)
	alice, bob := e.user(t, "alice"), e.user(t, "bob")
	parent := e.post(t, bob, "a question", model.VisibilityPublic)
	sensitive := true
	reply := e.postStatus(t, alice, core.NewStatus{
		Text: "@bob an answer #Tea", SpoilerText: "spoiler", Sensitive: &sensitive,
		Visibility: model.VisibilityPublic, Language: "en", InReplyToID: parent.ID,
	})
	if _, err := e.svc.EditStatus(context.Background(), alice, reply.ID, core.StatusEdit{Text: "@bob an edited answer #Tea"}); err != nil {
		t.Fatal(err)
	}
	n := decodeAP(t, e.getAP(t, statusPath("alice", reply), 200).Body.Bytes())
	if n.InReplyTo != "https://roost.test"+statusPath("bob", parent) {
		t.Errorf("inReplyTo %q", n.InReplyTo)
	}
	if n.Summary != "spoiler" || !n.Sensitive || n.Language() != "en" || n.Updated.IsZero() || !strings.Contains(n.Content, "edited") {
		t.Errorf("note %+v", n)
	}
	want := []ap.Tag{
		{Type: ap.TypeMention, Href: "https://roost.test/users/bob", Name: "@bob@roost.test"},
		{Type: ap.TypeHashtag, Href: "https://roost.test/tags/tea", Name: "#tea"},
	}
	if len(n.Tag) != len(want) {
		t.Fatalf("tags %+v", n.Tag)
	}
	for i := range want {
		if n.Tag[i] != want[i] {
			t.Errorf("tag %d: %+v, want %+v", i, n.Tag[i], want[i])
		}
	}
}
