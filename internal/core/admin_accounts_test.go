package core

import (
	"context"
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// staffAuth signs username in with role.
func staffAuth(t *testing.T, s *Service, username string, role model.Role) *Auth {
	t.Helper()
	mustCreateUser(t, s, username)
	if err := s.SetRole(context.Background(), username, role); err != nil {
		t.Fatal(err)
	}
	return mustAuth(t, s, mustToken(t, s, username, "admin:read admin:write"))
}

func TestAccountActionRanks(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	owner := staffAuth(t, s, "owner", model.RoleOwner)
	admin := staffAuth(t, s, "admin", model.RoleAdmin)
	mod := staffAuth(t, s, "mod", model.RoleModerator)
	user := staffAuth(t, s, "user", model.RoleUser)
	suspend := AccountAction{Type: AccountActionSuspend}
	for _, c := range []struct {
		name   string
		by     *Auth
		target *Auth
		ok     bool
	}{
		{"a user acts on nobody", user, mod, false},
		{"a moderator on an admin", mod, admin, false},
		{"an admin on itself", admin, admin, false},
		{"an admin on the owner", admin, owner, false},
		{"the owner on the owner", owner, owner, false},
		{"a moderator on a user", mod, user, true},
		{"an admin on a moderator", admin, mod, true},
		{"the owner on an admin", owner, admin, true},
	} {
		err := s.TakeAccountAction(ctx, c.by, c.target.Account.ID, AccountAction{Type: AccountActionNone})
		if c.ok != (err == nil) || (!c.ok && !errors.Is(err, model.ErrForbidden)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := s.TakeAccountAction(ctx, owner, admin.Account.ID, suspend); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, mustToken(t, s, "mod", "read")); err != nil {
		t.Fatalf("bystander signed out: %v", err)
	}
	if _, err := s.PasswordGrant(ctx, mustApp(t, s), "admin", "password-admin", ""); err == nil {
		t.Error("a suspended admin signs in")
	}
	if _, err := s.Account(ctx, mod.Account.ID, admin.Account.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("suspended profile: %v", err)
	}
	e, err := s.UnsuspendAccount(ctx, owner, admin.Account.ID)
	if err != nil || e.Account.SuspendedAt != nil || e.User.DisabledAt != nil {
		t.Fatalf("unsuspend: %+v, %v", e, err)
	}
	if _, err := s.UnsuspendAccount(ctx, owner, admin.Account.ID); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("unsuspend twice: %v", err)
	}
	if err := s.TakeAccountAction(ctx, mod, 424242, suspend); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestRemoteAccountSuspension(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	mod := staffAuth(t, s, "mod", model.RoleModerator)
	far := &model.Account{Username: "far", Domain: "far.example", URI: "https://far.example/users/far"}
	if err := s.store.CreateRemoteAccount(ctx, far); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveAccount(ctx, mod, far.ID); !errors.Is(err, ErrAccountNotPending) {
		t.Errorf("approve a remote account: %v", err)
	}
	if err := s.TakeAccountAction(ctx, mod, far.ID, AccountAction{Type: AccountActionSuspend}); err != nil {
		t.Fatal(err)
	}
	l, err := s.AdminAccounts(ctx, mod, store.AdminAccountFilter{Suspended: true}, store.Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].Account.ID != far.ID || l.Items[0].User != nil {
		t.Fatalf("suspended = %+v, %v", l, err)
	}
	if _, err := s.UnsuspendAccount(ctx, mod, far.ID); err != nil {
		t.Fatal(err)
	}
	if a, err := s.store.Account(ctx, far.ID); err != nil || a.SuspendedAt != nil {
		t.Errorf("after unsuspend: %+v, %v", a, err)
	}
}

func TestRejectDeletesThePendingAccount(t *testing.T) {
	set := testSettings()
	set.Registration = model.RegistrationApproval
	s := newTestServiceWith(t, set, nil)
	ctx := context.Background()
	mod := staffAuth(t, s, "mod", model.RoleModerator)
	app := mustApp(t, s)
	reg := Registration{Username: "hopeful", Password: "password-hopeful", Agreement: true, Reason: "  please  "}
	a, _, err := s.Register(ctx, app, reg)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.AdminAccount(ctx, mod, a.ID)
	if err != nil || e.User.Reason != "please" || e.User.Approved {
		t.Fatalf("pending = %+v, %v", e.User, err)
	}
	if _, err := s.AdminAccounts(ctx, &Auth{Account: a, User: &model.User{Role: model.RoleUser}}, store.AdminAccountFilter{}, store.Page{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a user lists accounts: %v", err)
	}
	if _, err := s.RejectAccount(ctx, mod, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Account(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("rejected account still there: %v", err)
	}
	if _, err := s.store.User(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("rejected user still there: %v", err)
	}
	if _, err := s.RejectAccount(ctx, mod, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("reject twice: %v", err)
	}
}

func mustApp(t *testing.T, s *Service) *model.App {
	t.Helper()
	app, _, err := s.CreateApp(context.Background(), NewApp{Name: "test", RedirectURIs: []string{OOBRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	return app
}
