package core

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func TestUpdateProfile(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mustCreateUser(t, s, "alice")
	a := mustAuth(t, s, mustToken(t, s, "alice", "read write"))
	name, note := "Alice A.", "I watch *birds*"
	yes, priv, lang := true, model.VisibilityPrivate, "de"
	fields := []model.Field{{Name: "Site", Value: "https://alice.example"}, {Name: "", Value: ""}, {Name: "Pronouns", Value: "she/her"}}
	c, err := s.UpdateProfile(ctx, a, ProfileUpdate{
		DisplayName: &name, Note: &note, Locked: &yes, Bot: &yes, Discoverable: &yes,
		Fields: &fields, Privacy: &priv, Sensitive: &yes, Language: &lang,
	})
	if err != nil {
		t.Fatal(err)
	}
	acct := c.Account
	if acct.DisplayName != name || acct.Note != note || !acct.Locked || !acct.Bot || !acct.Discoverable {
		t.Errorf("account = %+v", acct)
	}
	if len(acct.Fields) != 2 || acct.Fields[1].Name != "Pronouns" {
		t.Errorf("fields = %+v (empty pairs should be dropped)", acct.Fields)
	}
	if c.Prefs.PostingVisibility != priv || !c.Prefs.PostingSensitive || c.Prefs.PostingLanguage != "de" {
		t.Errorf("prefs = %+v", c.Prefs)
	}
	// What was not given stays.
	other := "Alice"
	c, _ = s.UpdateProfile(ctx, a, ProfileUpdate{DisplayName: &other})
	if c.Account.Note != note || !c.Account.Locked || c.Prefs.PostingVisibility != priv {
		t.Errorf("unset fields changed: %+v %+v", c.Account, c.Prefs)
	}
	p, _ := s.Preferences(ctx, a.ViewerID())
	if p.PostingVisibility != priv || p.ExpandMedia != "default" {
		t.Errorf("preferences = %+v", p)
	}
}

func TestUpdateProfileLimits(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mustCreateUser(t, s, "alice")
	a := mustAuth(t, s, mustToken(t, s, "alice", "write"))
	long := func(n int) *string { v := strings.Repeat("é", n); return &v }
	five := make([]model.Field, 5)
	bigField := []model.Field{{Name: "x", Value: strings.Repeat("y", 256)}}
	direct, bad := model.VisibilityDirect, model.Visibility("everyone")
	badLang := "klingon!"
	for _, tt := range []struct {
		u     ProfileUpdate
		field string
	}{
		{ProfileUpdate{DisplayName: long(31)}, "display_name"},
		{ProfileUpdate{Note: long(501)}, "note"},
		{ProfileUpdate{Fields: &five}, "fields"},
		{ProfileUpdate{Fields: &bigField}, "fields"},
		{ProfileUpdate{Privacy: &direct}, "source.privacy"},
		{ProfileUpdate{Privacy: &bad}, "source.privacy"},
		{ProfileUpdate{Language: &badLang}, "source.language"},
	} {
		if _, err := s.UpdateProfile(ctx, a, tt.u); fieldCodes(t, err)[tt.field] == "" {
			t.Errorf("%s: %v", tt.field, err)
		}
	}
	if _, err := s.UpdateProfile(ctx, a, ProfileUpdate{DisplayName: long(30), Note: long(500)}); err != nil {
		t.Errorf("limits exactly: %v", err)
	}
}

func TestLookupAndSearch(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	alice := mustCreateUser(t, s, "alice")
	alicia := mustCreateUser(t, s, "alicia")
	mustCreateUser(t, s, "bob")
	for _, acct := range []string{"alice", "@alice", "ALICE", "alice@roost.test", "@alice@ROOST.TEST"} {
		if a, err := s.LookupAccount(ctx, 0, acct); err != nil || a.ID != alice.ID {
			t.Errorf("lookup %q = %v, %v", acct, a, err)
		}
	}
	for _, acct := range []string{"", "@", "nobody", "alice@elsewhere.example"} {
		if _, err := s.LookupAccount(ctx, 0, acct); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("lookup %q: %v", acct, err)
		}
	}

	viewer := mustCreateUser(t, s, "viewer")
	vAuth := mustAuth(t, s, mustToken(t, s, "viewer", "read write follow"))
	got, err := s.SearchAccounts(ctx, viewer.ID, "ali", false, 40, 0)
	if err != nil || len(got) != 2 {
		t.Fatalf("search ali = %d results, %v", len(got), err)
	}
	if _, err := s.Follow(ctx, vAuth, alicia.ID, FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.SearchAccounts(ctx, viewer.ID, "@ali", true, 40, 0)
	if len(got) != 1 || got[0].ID != alicia.ID {
		t.Errorf("search following = %v", got)
	}
	aliceAuth := mustAuth(t, s, mustToken(t, s, "alice", "follow"))
	if _, err := s.Block(ctx, aliceAuth, viewer.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.SearchAccounts(ctx, viewer.ID, "ali", false, 40, 0)
	if len(got) != 1 || got[0].ID != alicia.ID {
		t.Errorf("search shows an account that blocks the viewer: %v", got)
	}
	if got, _ := s.SearchAccounts(ctx, viewer.ID, "ali@elsewhere.example", false, 40, 0); len(got) != 0 {
		t.Errorf("remote search without federation = %v", got)
	}
	accts, err := s.Accounts(ctx, 0, []int64{alicia.ID, 424242, alice.ID})
	if err != nil || len(accts) != 2 || accts[0].ID != alicia.ID {
		t.Errorf("accounts by id = %v, %v", accts, err)
	}
}

func TestAdminUseCases(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mustCreateUser(t, s, "alice")
	tok := mustToken(t, s, "alice", "read")

	if err := s.SetRole(ctx, "alice", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "alice", "king"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad role: %v", err)
	}
	if err := s.SetRole(ctx, "nobody", model.RoleAdmin); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if a := mustAuth(t, s, tok); a.User.Role != model.RoleModerator {
		t.Errorf("role = %q", a.User.Role)
	}

	pw, err := s.ResetPassword(ctx, "alice")
	if err != nil || len(pw) < 20 {
		t.Fatalf("reset: %q, %v", pw, err)
	}
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("token survived a password reset: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "alice", "password-alice"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "alice", pw); err != nil {
		t.Errorf("new password: %v", err)
	}

	if _, err := s.CreateUser(ctx, NewUser{Username: "newbie", Password: "password-newbie"}); err != nil {
		t.Fatal(err)
	}
	list, err := s.UserList(ctx, store.Page{Limit: 10})
	if err != nil || len(list) != 2 {
		t.Fatalf("user list = %d, %v", len(list), err)
	}
	for _, e := range list {
		if e.Account == nil || e.User == nil || e.Account.ID != e.User.AccountID {
			t.Errorf("entry %+v", e)
		}
	}
	if err := s.ApproveUser(ctx, "newbie"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SignIn(ctx, "newbie", "password-newbie"); err != nil {
		t.Errorf("approved user cannot sign in: %v", err)
	}

	tok = mustToken(t, s, "newbie", "read")
	if err := s.SuspendAccount(ctx, "newbie"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("token survived suspension: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "newbie", "password-newbie"); !errors.Is(err, ErrLoginDisabled) {
		t.Errorf("suspended sign-in: %v", err)
	}
	if err := s.SuspendAccount(ctx, "newbie"); err != nil {
		t.Errorf("suspending twice: %v", err)
	}
}
