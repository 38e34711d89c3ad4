package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testAccounts(t *testing.T, f *fx) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	a := &model.Account{Username: "Alice", DisplayName: "Alice A.", Note: "hello",
		Fields: []model.Field{{Name: "web", Value: "https://a.example", VerifiedAt: ptime(created)}},
		Locked: true, Bot: true, Discoverable: true, NoIndex: true, CreatedAt: created}
	u := &model.User{Email: "alice@example.org", EmailHash: []byte("hash-a"), PasswordHash: "$argon2id$a",
		Role: model.RoleAdmin, Approved: true, Reason: "because", Locale: "fr"}
	f.must(f.s.CreateLocalAccount(f.ctx, a, u))
	if a.ID == 0 || u.AccountID != a.ID {
		t.Fatalf("ids not set: account %d, user %d", a.ID, u.AccountID)
	}
	got := f.reload(a)
	if got.Username != "Alice" || got.Domain != "" || got.DisplayName != "Alice A." || got.Note != "hello" ||
		!got.Locked || !got.Bot || !got.Discoverable || !got.NoIndex || !sameTime(got.CreatedAt, created) {
		t.Errorf("account round trip: %+v", got)
	}
	if len(got.Fields) != 1 || got.Fields[0].Value != "https://a.example" || !sameTime(*got.Fields[0].VerifiedAt, created) {
		t.Errorf("fields round trip: %+v", got.Fields)
	}

	for _, name := range []string{"alice", "ALICE", "Alice"} {
		byName, err := f.s.AccountByUsername(f.ctx, name, "")
		f.must(err)
		if byName.ID != a.ID {
			t.Errorf("AccountByUsername(%q) = %d", name, byName.ID)
		}
	}
	_, err := f.s.AccountByUsername(f.ctx, "alice", "elsewhere.example")
	f.is(err, model.ErrNotFound)
	_, err = f.s.Account(f.ctx, a.ID+1)
	f.is(err, model.ErrNotFound)

	b := f.account("bob")
	m, err := f.s.AccountsByID(f.ctx, []int64{a.ID, b.ID, 12345})
	f.must(err)
	if len(m) != 2 || m[a.ID].Username != "Alice" || m[b.ID].Username != "bob" {
		t.Errorf("AccountsByID: %v", m)
	}

	got.DisplayName, got.Note, got.Fields = "New Name", "new bio", nil
	got.Locked, got.Bot = false, false
	got.UpdatedAt = created.Add(time.Hour)
	f.must(f.s.UpdateAccount(f.ctx, got))
	up := f.reload(a)
	if up.DisplayName != "New Name" || up.Note != "new bio" || len(up.Fields) != 0 || up.Locked || up.Bot ||
		!sameTime(up.UpdatedAt, created.Add(time.Hour)) {
		t.Errorf("after update: %+v", up)
	}
	f.is(f.s.UpdateAccount(f.ctx, &model.Account{ID: 999}), model.ErrNotFound)

	at := time.Now().UTC()
	f.must(f.s.SetAccountSuspended(f.ctx, a.ID, &at))
	if s := f.reload(a).SuspendedAt; s == nil || !sameTime(*s, at) {
		t.Errorf("suspended at %v, want %v", s, at)
	}
	f.must(f.s.SetAccountSuspended(f.ctx, a.ID, nil))
	if s := f.reload(a).SuspendedAt; s != nil {
		t.Errorf("still suspended: %v", s)
	}
}

func testAccountConflicts(t *testing.T, f *fx) {
	f.account("carol")
	err := f.s.CreateLocalAccount(f.ctx, &model.Account{Username: "CAROL"}, &model.User{Role: model.RoleUser})
	f.is(err, model.ErrConflict)

	u1 := &model.User{Role: model.RoleUser, Email: "x@example.org", EmailHash: []byte("same")}
	f.must(f.s.CreateLocalAccount(f.ctx, &model.Account{Username: "x1"}, u1))
	err = f.s.CreateLocalAccount(f.ctx, &model.Account{Username: "x2"},
		&model.User{Role: model.RoleUser, EmailHash: []byte("same")})
	f.is(err, model.ErrConflict)
	if _, err := f.s.AccountByUsername(f.ctx, "x2", ""); !isNotFound(err) {
		t.Errorf("account of the failed registration exists: %v", err)
	}

	// Users without email never conflict with each other.
	f.account("noemail1")
	f.account("noemail2")

	// Taking another user's email hash on update conflicts too.
	u3 := &model.User{Role: model.RoleUser, EmailHash: []byte("other")}
	f.must(f.s.CreateLocalAccount(f.ctx, &model.Account{Username: "x3"}, u3))
	u3.EmailHash = []byte("same")
	f.is(f.s.UpdateUser(f.ctx, u3), model.ErrConflict)

	// The same username on another domain is another account; on the same
	// domain (in any case) it conflicts.
	f.remote("carol", "remote.example")
	err = f.s.CreateRemoteAccount(f.ctx, &model.Account{Username: "Carol", Domain: "REMOTE.example",
		URI: "https://remote.example/users/Carol"})
	f.is(err, model.ErrConflict)
}

func testRemoteAccounts(t *testing.T, f *fx) {
	created := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	a := &model.Account{Username: "Zoe", Domain: "Social.Example", DisplayName: "Zoë", Note: "far away",
		Fields: []model.Field{{Name: "k", Value: "v"}}, Locked: true, Bot: true,
		URI: "https://social.example/users/Zoe", URL: "https://social.example/@Zoe", CreatedAt: created}
	f.must(f.s.CreateRemoteAccount(f.ctx, a))
	if a.ID == 0 || a.Domain != "social.example" || !sameTime(a.UpdatedAt, created) {
		t.Fatalf("CreateRemoteAccount set ID %d, domain %q, updated %v", a.ID, a.Domain, a.UpdatedAt)
	}
	got, err := f.s.AccountByURI(f.ctx, "https://social.example/users/Zoe")
	f.must(err)
	if got.ID != a.ID || got.Username != "Zoe" || got.Domain != "social.example" || got.DisplayName != "Zoë" ||
		got.Note != "far away" || len(got.Fields) != 1 || !got.Locked || !got.Bot || got.Local() ||
		got.URI != a.URI || got.URL != a.URL || !sameTime(got.CreatedAt, created) {
		t.Errorf("AccountByURI round trip: %+v", got)
	}
	byName, err := f.s.AccountByUsername(f.ctx, "zoe", "SOCIAL.example")
	f.must(err)
	if byName.ID != a.ID {
		t.Errorf("AccountByUsername of the remote account = %d, want %d", byName.ID, a.ID)
	}
	if _, err := f.s.User(f.ctx, a.ID); !isNotFound(err) {
		t.Errorf("remote account has a user: %v", err)
	}

	// URIs are compared exactly, and local accounts (no stored URI) are
	// never found by one.
	f.account("local")
	for _, uri := range []string{"", "https://social.example/users/zoe", "https://social.example/users/Zoe/",
		"https://other.example/users/Zoe"} {
		_, err := f.s.AccountByURI(f.ctx, uri)
		f.is(err, model.ErrNotFound)
	}

	// Another account may not take the URI, even under another name.
	err = f.s.CreateRemoteAccount(f.ctx, &model.Account{Username: "zoe2", Domain: "social.example", URI: a.URI})
	f.is(err, model.ErrConflict)
	second := f.remote("zoe2", "social.example")
	if got, err := f.s.AccountByURI(f.ctx, second.URI); err != nil || got.ID != second.ID {
		t.Errorf("AccountByURI of the second account = %v, %v", got, err)
	}

	for _, bad := range []*model.Account{
		{Username: "nodomain", URI: "https://x.example/users/nodomain"},
		{Username: "nouri", Domain: "x.example"},
	} {
		f.is(f.s.CreateRemoteAccount(f.ctx, bad), model.ErrInvalid)
		if _, err := f.s.AccountByUsername(f.ctx, bad.Username, bad.Domain); !isNotFound(err) {
			t.Errorf("invalid remote account %s was stored: %v", bad.Username, err)
		}
	}
}

func testSearchAccounts(t *testing.T, f *fx) {
	f.account("a_b")
	f.account("axb")
	f.account("abc")
	f.account("Abd")
	f.account("zed")
	susp := f.account("abz")
	f.must(f.s.SetAccountSuspended(f.ctx, susp.ID, ptime(time.Now())))

	names := func(prefix string, limit, offset int) []string {
		list, err := f.s.SearchAccounts(f.ctx, prefix, limit, offset)
		f.must(err)
		var out []string
		for _, a := range list {
			out = append(out, a.Username)
		}
		return out
	}
	cases := []struct {
		prefix        string
		limit, offset int
		want          []string
	}{
		{"ab", 10, 0, []string{"abc", "Abd"}},
		{"AB", 10, 0, []string{"abc", "Abd"}},
		{"a_", 10, 0, []string{"a_b"}}, // '_' is literal, not a wildcard
		{"a", 2, 0, []string{"a_b", "abc"}},
		{"a", 2, 2, []string{"Abd", "axb"}},
		{"%", 10, 0, nil},
		{"q", 10, 0, nil},
	}
	for _, c := range cases {
		if got := names(c.prefix, c.limit, c.offset); !slices.Equal(got, c.want) {
			t.Errorf("SearchAccounts(%q, %d, %d) = %v, want %v", c.prefix, c.limit, c.offset, got, c.want)
		}
	}
}

func testUsers(t *testing.T, f *fx) {
	a := &model.Account{Username: "dave"}
	u := &model.User{Email: "dave@example.org", EmailHash: []byte("hd"), PasswordHash: "$argon2id$d",
		Role: model.RoleModerator, Reason: "let me in", Locale: "de", InviteID: 77}
	f.must(f.s.CreateLocalAccount(f.ctx, a, u))
	got, err := f.s.User(f.ctx, a.ID)
	f.must(err)
	if got.Email != "dave@example.org" || string(got.EmailHash) != "hd" || got.Role != model.RoleModerator ||
		got.Approved || got.Reason != "let me in" || got.Locale != "de" || got.InviteID != 77 {
		t.Errorf("user round trip: %+v", got)
	}
	byHash, err := f.s.UserByEmailHash(f.ctx, []byte("hd"))
	f.must(err)
	if byHash.AccountID != a.ID {
		t.Errorf("UserByEmailHash = %d", byHash.AccountID)
	}
	_, err = f.s.UserByEmailHash(f.ctx, []byte("nope"))
	f.is(err, model.ErrNotFound)
	_, err = f.s.UserByEmailHash(f.ctx, nil)
	f.is(err, model.ErrNotFound)

	lock := time.Now().Add(time.Hour).UTC()
	got.Email, got.EmailHash, got.PasswordHash = "", nil, "$argon2id$new"
	got.Role, got.Approved, got.Reason, got.Locale = model.RoleOwner, true, "", "en"
	got.DisabledAt, got.OTPEnabled, got.FailedLogins, got.LockedUntil = ptime(lock), true, 3, ptime(lock)
	got.LastSignInDay = "2025-01-02"
	f.must(f.s.UpdateUser(f.ctx, got))
	up, err := f.s.User(f.ctx, a.ID)
	f.must(err)
	if up.Email != "" || up.EmailHash != nil || up.PasswordHash != "$argon2id$new" || up.Role != model.RoleOwner ||
		!up.Approved || up.Reason != "" || up.DisabledAt == nil || !up.OTPEnabled || up.FailedLogins != 3 ||
		up.LockedUntil == nil || !sameTime(*up.LockedUntil, lock) || up.LastSignInDay != "2025-01-02" {
		t.Errorf("after update: %+v", up)
	}
	_, err = f.s.User(f.ctx, a.ID+1)
	f.is(err, model.ErrNotFound)
	f.is(f.s.UpdateUser(f.ctx, &model.User{AccountID: 4242, Role: model.RoleUser}), model.ErrNotFound)

	// A remote account has no user and is not listed.
	f.remote("far", "far.example")
	var ids []int64
	for i := 0; i < 4; i++ {
		ids = append(ids, f.account("user"+string(rune('a'+i))).ID)
	}
	n, err := f.s.CountUsers(f.ctx)
	f.must(err)
	if n != 5 {
		t.Errorf("CountUsers = %d, want 5", n)
	}
	all, err := f.s.Users(f.ctx, store.Page{})
	f.must(err)
	if len(all) != 5 || all[0].AccountID != ids[3] || all[4].AccountID != a.ID {
		t.Errorf("Users newest first: got %d users, first %d", len(all), all[0].AccountID)
	}
	pg, err := f.s.Users(f.ctx, store.Page{MaxID: ids[3], Limit: 2})
	f.must(err)
	if len(pg) != 2 || pg[0].AccountID != ids[2] || pg[1].AccountID != ids[1] {
		t.Errorf("Users page: %v", pg)
	}
}

func testInvites(t *testing.T, f *fx) {
	owner := f.account("inviter")
	now := time.Now().UTC()
	inv := &model.Invite{Code: "twice", AccountID: owner.ID, MaxUses: 2}
	f.must(f.s.CreateInvite(f.ctx, inv))
	if inv.ID == 0 {
		t.Fatal("invite ID not set")
	}
	for i := 1; i <= 2; i++ {
		got, err := f.s.UseInvite(f.ctx, "twice", now)
		f.must(err)
		if got.Uses != i || got.ID != inv.ID || got.AccountID != owner.ID {
			t.Errorf("use %d: %+v", i, got)
		}
	}
	_, err := f.s.UseInvite(f.ctx, "twice", now)
	f.is(err, model.ErrNotFound)

	f.must(f.s.CreateInvite(f.ctx, &model.Invite{Code: "forever", AccountID: owner.ID}))
	for i := 0; i < 5; i++ {
		_, err := f.s.UseInvite(f.ctx, "forever", now)
		f.must(err)
	}
	f.must(f.s.CreateInvite(f.ctx, &model.Invite{Code: "old", AccountID: owner.ID, ExpiresAt: ptime(now.Add(-time.Minute))}))
	_, err = f.s.UseInvite(f.ctx, "old", now)
	f.is(err, model.ErrNotFound)
	f.must(f.s.CreateInvite(f.ctx, &model.Invite{Code: "soon", AccountID: owner.ID, ExpiresAt: ptime(now.Add(time.Minute))}))
	_, err = f.s.UseInvite(f.ctx, "soon", now)
	f.must(err)
	_, err = f.s.UseInvite(f.ctx, "unknown", now)
	f.is(err, model.ErrNotFound)
	f.is(f.s.CreateInvite(f.ctx, &model.Invite{Code: "soon", AccountID: owner.ID}), model.ErrConflict)
}
