package storetest

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// remoteActor returns actor details for the actor at uri, with keys named
// after it.
func remoteActor(uri string, fetched time.Time) *store.RemoteActor {
	return &store.RemoteActor{
		Inbox: uri + "/inbox", SharedInbox: "https://social.example/inbox", Outbox: uri + "/outbox",
		Followers: uri + "/followers", Following: uri + "/following", Featured: uri + "/collections/featured",
		KeyID: uri + "#main-key", PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
		Ed25519KeyID: uri + "#ed25519-key", Ed25519Multibase: "z6MkTest",
		FetchedAt: fetched,
	}
}

func testRemoteActors(t *testing.T, f *fx) {
	fetched := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	const uri = "https://social.example/users/Zed"
	a := &model.Account{Username: "Zed", Domain: "Social.Example", DisplayName: "Zed Z.", Note: "<p>bio</p>",
		Fields: []model.Field{{Name: "site", Value: "<a href=\"https://z.example\">z</a>"}},
		Locked: true, URI: uri, URL: "https://social.example/@Zed"}
	ra := remoteActor(uri, fetched)
	f.must(f.s.PutRemoteActor(f.ctx, a, ra))
	if a.ID == 0 || ra.AccountID != a.ID || a.Domain != "social.example" {
		t.Fatalf("PutRemoteActor set account %d, actor %d, domain %q", a.ID, ra.AccountID, a.Domain)
	}
	got, err := f.s.AccountByURI(f.ctx, uri)
	f.must(err)
	if got.ID != a.ID || got.Username != "Zed" || got.DisplayName != "Zed Z." || got.Note != "<p>bio</p>" ||
		len(got.Fields) != 1 || got.Fields[0].Name != "site" || !got.Locked || got.URL != a.URL {
		t.Errorf("account after put: %+v", got)
	}
	want := *ra
	gotRA, err := f.s.RemoteActor(f.ctx, a.ID)
	f.must(err)
	if !sameRemoteActor(gotRA, &want) {
		t.Errorf("RemoteActor = %+v, want %+v", gotRA, want)
	}
	for _, id := range []string{uri + "#main-key", uri + "#ed25519-key"} {
		byKey, err := f.s.RemoteActorByKeyID(f.ctx, id)
		f.must(err)
		if byKey.AccountID != a.ID {
			t.Errorf("RemoteActorByKeyID(%q) = account %d, want %d", id, byKey.AccountID, a.ID)
		}
	}
	for _, id := range []string{"", uri, uri + "#MAIN-KEY", "https://other.example/users/Zed#main-key"} {
		_, err := f.s.RemoteActorByKeyID(f.ctx, id)
		f.is(err, model.ErrNotFound)
	}

	// A second put updates the same account: profile and details change,
	// identity, counters and suspension stay.
	follower := f.account("fan")
	f.follow(follower, a)
	suspended := time.Now().UTC()
	f.must(f.s.SetAccountSuspended(f.ctx, a.ID, &suspended))
	b := &model.Account{Username: "Renamed", Domain: "elsewhere.example", DisplayName: "Zed 2", Note: "<p>new</p>",
		Bot: true, Discoverable: true, URI: uri, URL: "https://social.example/@Zed2"}
	ra2 := remoteActor(uri, fetched.Add(time.Hour))
	ra2.Inbox, ra2.KeyID, ra2.PublicKeyPEM = uri+"/inbox2", uri+"#key-2", "rotated"
	ra2.Ed25519KeyID, ra2.Ed25519Multibase = "", ""
	f.must(f.s.PutRemoteActor(f.ctx, b, ra2))
	if b.ID != a.ID || ra2.AccountID != a.ID {
		t.Fatalf("second put made account %d, want %d", b.ID, a.ID)
	}
	if b.Username != "Zed" || b.Domain != "social.example" || b.DisplayName != "Zed 2" || b.Note != "<p>new</p>" ||
		len(b.Fields) != 0 || b.Locked || !b.Bot || !b.Discoverable || b.URL != "https://social.example/@Zed2" ||
		b.FollowersCount != 1 || b.SuspendedAt == nil {
		t.Errorf("account after second put: %+v", b)
	}
	gotRA, err = f.s.RemoteActor(f.ctx, a.ID)
	f.must(err)
	if !sameRemoteActor(gotRA, ra2) {
		t.Errorf("RemoteActor after update = %+v, want %+v", gotRA, ra2)
	}
	for _, id := range []string{uri + "#main-key", uri + "#ed25519-key"} {
		_, err := f.s.RemoteActorByKeyID(f.ctx, id)
		f.is(err, model.ErrNotFound)
	}

	// An existing remote account without details gets them.
	plain := f.remote("plain", "social.example")
	p := &model.Account{Username: "plain", Domain: "social.example", DisplayName: "Plain", URI: plain.URI}
	f.must(f.s.PutRemoteActor(f.ctx, p, remoteActor(plain.URI, fetched)))
	if p.ID != plain.ID {
		t.Errorf("put of a known URI made account %d, want %d", p.ID, plain.ID)
	}

	// A key id moves to the actor that claims it last.
	const uri3 = "https://social.example/users/other"
	c := &model.Account{Username: "other", Domain: "social.example", URI: uri3}
	ra3 := remoteActor(uri3, fetched)
	ra3.KeyID = uri + "#key-2"
	f.must(f.s.PutRemoteActor(f.ctx, c, ra3))
	byKey, err := f.s.RemoteActorByKeyID(f.ctx, uri+"#key-2")
	f.must(err)
	if byKey.AccountID != c.ID {
		t.Errorf("key id held by %d, want %d", byKey.AccountID, c.ID)
	}
	if old, err := f.s.RemoteActor(f.ctx, a.ID); err != nil || old.KeyID != "" || old.PublicKeyPEM != "" || old.Inbox != ra2.Inbox {
		t.Errorf("previous holder of the key: %+v, %v", old, err)
	}

	// The profile is sealed under the remote account's own key; the
	// public details are not.
	f.must(f.v.Shred(f.ctx, c.ID))
	_, err = f.s.Account(f.ctx, c.ID)
	f.is(err, model.ErrShredded)
	if _, err := f.s.RemoteActor(f.ctx, c.ID); err != nil {
		t.Errorf("details of a shredded account: %v", err)
	}
	c2 := &model.Account{Username: "other", Domain: "social.example", DisplayName: "Back", URI: uri3}
	f.must(f.s.PutRemoteActor(f.ctx, c2, remoteActor(uri3, fetched)))
	if c2.ID != c.ID || c2.DisplayName != "Back" {
		t.Errorf("put after shredding: %+v", c2)
	}

	// Failures write nothing.
	taken := &model.Account{Username: "zed", Domain: "social.example", URI: "https://social.example/users/zed-new"}
	f.is(f.s.PutRemoteActor(f.ctx, taken, remoteActor(taken.URI, fetched)), model.ErrConflict)
	_, err = f.s.RemoteActorByKeyID(f.ctx, taken.URI+"#main-key")
	f.is(err, model.ErrNotFound)
	for _, bad := range []*model.Account{
		{Username: "nodomain", URI: "https://x.example/users/nodomain"},
		{Username: "nouri", Domain: "x.example"},
	} {
		f.is(f.s.PutRemoteActor(f.ctx, bad, remoteActor(bad.URI, fetched)), model.ErrInvalid)
		if _, err := f.s.AccountByUsername(f.ctx, bad.Username, bad.Domain); !isNotFound(err) {
			t.Errorf("invalid remote actor %s was stored: %v", bad.Username, err)
		}
	}
	local := f.account("home")
	_, err = f.s.RemoteActor(f.ctx, local.ID)
	f.is(err, model.ErrNotFound)
}

func sameRemoteActor(a, b *store.RemoteActor) bool {
	x, y := *a, *b
	x.FetchedAt, y.FetchedAt = time.Time{}, time.Time{}
	return x == y && sameTime(a.FetchedAt, b.FetchedAt)
}
