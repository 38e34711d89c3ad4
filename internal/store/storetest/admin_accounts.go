package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testAdminAccounts(t *testing.T, f *fx) {
	alice, bob := f.account("alice"), f.account("bob")
	pend := &model.Account{Username: "Pending_1"}
	f.must(f.s.CreateLocalAccount(f.ctx, pend, &model.User{Role: model.RoleUser, PasswordHash: "$argon2id$p", Reason: "hi"}))
	far, near := f.remote("alice", "far.example"), f.remote("percent%", "near.example")
	now := time.Now()
	f.must(f.s.SetAccountSuspended(f.ctx, bob.ID, &now))
	f.must(f.s.SetAccountSuspended(f.ctx, far.ID, &now))

	list := func(flt store.AdminAccountFilter, p store.Page) string {
		t.Helper()
		got, err := f.s.AdminAccounts(f.ctx, flt, p)
		f.must(err)
		var out []string
		for _, a := range got {
			out = append(out, a.Acct())
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		name string
		flt  store.AdminAccountFilter
		want string
	}{
		{"all", store.AdminAccountFilter{}, "percent%@near.example alice@far.example Pending_1 bob alice"},
		{"local", store.AdminAccountFilter{Local: true}, "Pending_1 bob alice"},
		{"remote", store.AdminAccountFilter{Remote: true}, "percent%@near.example alice@far.example"},
		{"pending", store.AdminAccountFilter{Pending: true}, "Pending_1"},
		{"pending remote", store.AdminAccountFilter{Pending: true, Remote: true}, ""},
		{"active", store.AdminAccountFilter{Active: true}, "percent%@near.example Pending_1 alice"},
		{"suspended", store.AdminAccountFilter{Suspended: true}, "alice@far.example bob"},
		{"suspended local", store.AdminAccountFilter{Suspended: true, Local: true}, "bob"},
		{"username, any case", store.AdminAccountFilter{Username: "ALI"}, "alice@far.example alice"},
		{"username wildcards are literal", store.AdminAccountFilter{Username: "pending%"}, ""},
		{"username underscore literal", store.AdminAccountFilter{Username: "Pending_"}, "Pending_1"},
		{"username percent", store.AdminAccountFilter{Username: "percent%"}, "percent%@near.example"},
	} {
		if got := list(c.flt, store.Page{}); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := list(store.AdminAccountFilter{}, store.Page{Limit: 2}); got != "percent%@near.example alice@far.example" {
		t.Errorf("limit 2: %q", got)
	}
	if got := list(store.AdminAccountFilter{}, store.Page{MaxID: far.ID, Limit: 2}); got != "Pending_1 bob" {
		t.Errorf("max_id: %q", got)
	}
	if got := list(store.AdminAccountFilter{}, store.Page{MinID: alice.ID, Limit: 2}); got != "Pending_1 bob" {
		t.Errorf("min_id: %q", got)
	}
	if got := list(store.AdminAccountFilter{}, store.Page{SinceID: pend.ID}); got != "percent%@near.example alice@far.example" {
		t.Errorf("since_id: %q", got)
	}
	if got, err := f.s.AdminAccounts(f.ctx, store.AdminAccountFilter{}, store.Page{Limit: 1000}); err != nil || len(got) != 5 {
		t.Errorf("a huge limit: %d, %v", len(got), err)
	}
	// A shredded account is left out, not an error.
	f.must(f.v.Shred(f.ctx, near.ID))
	if got := list(store.AdminAccountFilter{Remote: true}, store.Page{}); got != "alice@far.example" {
		t.Errorf("after shredding: %q", got)
	}
}

func testAccountTokens(t *testing.T, f *fx) {
	me, other := f.account("me"), f.account("other")
	app := &model.App{Name: "App", Scopes: "read write", ClientID: "c-1", ClientSecretHash: hash("s")}
	f.must(f.s.CreateApp(f.ctx, app))
	mk := func(acct int64, bearer, scopes string) *model.Token {
		tok := &model.Token{Hash: hash(bearer), AppID: app.ID, AccountID: acct, Scopes: scopes}
		f.must(f.s.CreateToken(f.ctx, tok))
		return tok
	}
	first := mk(me.ID, "b1", "read")
	second := mk(me.ID, "b2", "read write")
	mk(other.ID, "b3", "read")
	mk(0, "b4", "read") // an app-only token belongs to nobody
	revoked := mk(me.ID, "b5", "write")
	f.must(f.s.RevokeToken(f.ctx, revoked.ID, time.Now()))
	f.must(f.s.TouchToken(f.ctx, second.ID, "2026-01-02"))

	got, err := f.s.AccountTokens(f.ctx, me.ID)
	f.must(err)
	if len(got) != 2 {
		t.Fatalf("tokens = %+v", got)
	}
	byID := map[int64]*model.Token{got[0].ID: got[0], got[1].ID: got[1]}
	if got[0].ID < got[1].ID || byID[first.ID] == nil || byID[second.ID] == nil {
		t.Errorf("tokens not newest first or wrong: %+v", got)
	}
	if s := byID[second.ID]; s.Scopes != "read write" || s.LastUsedDay != "2026-01-02" || s.AppID != app.ID ||
		s.AccountID != me.ID || s.CreatedAt.IsZero() || s.RevokedAt != nil {
		t.Errorf("token round trip: %+v", s)
	}
	if got, err := f.s.AccountTokens(f.ctx, 424242); err != nil || len(got) != 0 {
		t.Errorf("unknown account: %v, %v", got, err)
	}
}
