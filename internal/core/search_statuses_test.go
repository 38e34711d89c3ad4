package core

import (
	"testing"
)

// TestSearchStatusURL: a status URL (its id, or its page that serves the
// same document) is found, fetched from its origin with resolve and a
// signed-in viewer; without resolve, signed out, or when the viewer may
// not see it, nothing is found and, but for resolve, nothing fetched.
func TestSearchStatusURL(t *testing.T) {
	e := newInboxEnv(t)
	a := mustAuth(t, e.s, mustToken(t, e.s, "alice", "read write"))
	note := func(id, to, text string) []byte {
		return []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Note","id":"` + id + `",
			"attributedTo":"` + bobURI + `","to":[` + to + `],"content":"<p>` + text + `</p>",
			"published":"2025-01-02T03:04:05Z"}`)
	}
	const pub, page = "https://remote.example/notes/pub", "https://remote.example/@bob/pub"
	e.f.set(pub, fakeDoc{body: note(pub, apPublic, "public words")})
	e.f.set(page, fakeDoc{body: note(pub, apPublic, "public words")})
	const priv = "https://remote.example/notes/priv"
	e.f.set(priv, fakeDoc{body: note(priv, `"`+bobURI+`/followers"`, "followers words")})

	search := func(auth *Auth, q string, resolve bool) []*StatusView {
		t.Helper()
		res, err := e.s.Search(e.ctx, auth, SearchQuery{Q: q, Resolve: resolve})
		if err != nil {
			t.Fatalf("search %s: %v", q, err)
		}
		return res.Statuses
	}
	before := e.f.count()
	if got := search(a, pub, false); len(got) != 0 {
		t.Errorf("without resolve, an unknown status was found: %+v", got)
	}
	if got := search(&Auth{}, pub, true); len(got) != 0 {
		t.Errorf("signed out, a status was resolved: %+v", got)
	}
	if e.f.count() != before {
		t.Errorf("%d fetches without resolve or signed out", e.f.count()-before)
	}

	before = e.f.count()
	got := search(a, page, true)
	if n := e.f.count() - before; n != 2 { // the page, then the id it declares (bob is known)
		t.Errorf("%d fetches to resolve a post by its page, want 2", n)
	}
	if len(got) != 1 || got[0].Status.URI != pub || got[0].Status.AccountID != e.bob.ID {
		t.Fatalf("search by page URL: %+v", got)
	}
	if res, err := e.s.Search(e.ctx, a, SearchQuery{Q: pub}); err != nil || len(res.Statuses) != 1 || len(res.Accounts) != 0 {
		t.Errorf("the stored status by its id, without resolve: %+v, %v", res, err)
	}
	if got := search(&Auth{}, pub, false); len(got) != 1 {
		t.Errorf("a stored public status, signed out: %+v", got)
	}

	// A followers-only post alice may not see is not shown, even when its
	// server handed it over.
	if got := search(a, priv, true); len(got) != 0 {
		t.Errorf("a followers-only status of an account alice does not follow: %+v", got)
	}
	// A local status by its URL.
	mine, uri := e.post(e.alice, "public")
	if got := search(a, uri, false); len(got) != 1 || got[0].Status.ID != mine.ID {
		t.Errorf("a local status by URL: %+v", got)
	}
}
