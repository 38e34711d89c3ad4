package core

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

func registrationApp(t *testing.T, s *Service) *model.App {
	t.Helper()
	app, _, err := s.CreateApp(context.Background(), NewApp{Name: "signup", RedirectURIs: []string{OOBRedirect}, Scopes: "read write follow"})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func signup(name string) Registration {
	return Registration{Username: name, Email: name + "@example.org", Password: "password-" + name, Agreement: true, Locale: "en"}
}

func serviceWithMode(t *testing.T, mode model.RegistrationMode) *Service {
	set := testSettings()
	set.Registration = mode
	return newTestServiceWith(t, set, nil)
}

func TestRegisterOpen(t *testing.T) {
	ctx := context.Background()
	s := serviceWithMode(t, model.RegistrationOpen)
	a, g, err := s.Register(ctx, registrationApp(t, s), signup("alice"))
	if err != nil {
		t.Fatal(err)
	}
	auth := mustAuth(t, s, g.AccessToken)
	if auth.ViewerID() != a.ID || auth.Scopes.String() != "read write follow" {
		t.Fatalf("token is for %d with %q", auth.ViewerID(), auth.Scopes)
	}
	u, _ := s.store.User(ctx, a.ID)
	if !u.Approved || u.Role != model.RoleUser || u.Locale != "en" {
		t.Errorf("user = %+v", u)
	}
}

func TestRegisterApproval(t *testing.T) {
	ctx := context.Background()
	s := serviceWithMode(t, model.RegistrationApproval)
	app := registrationApp(t, s)
	_, _, err := s.Register(ctx, app, signup("bob"))
	if fieldCodes(t, err)["reason"] != "ERR_BLANK" {
		t.Fatalf("approval without a reason: %v", err)
	}
	r := signup("bob")
	r.Reason = "I like birds"
	a, g, err := s.Register(ctx, app, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, g.AccessToken); !errors.Is(err, ErrPendingApproval) {
		t.Fatalf("token of an unapproved user: %v, want ErrPendingApproval", err)
	}
	if _, err := s.Account(ctx, 0, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an unapproved account is visible: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "bob", "password-bob"); !errors.Is(err, ErrPendingApproval) {
		t.Errorf("sign-in before approval: %v", err)
	}
	u, _ := s.store.User(ctx, a.ID)
	if u.Approved || u.Reason != "I like birds" {
		t.Errorf("user = approved %v, reason %q", u.Approved, u.Reason)
	}
	if err := s.ApproveUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	mustAuth(t, s, g.AccessToken)
}

func TestRegisterInvite(t *testing.T) {
	ctx := context.Background()
	s := serviceWithMode(t, model.RegistrationInvite)
	app := registrationApp(t, s)
	admin := mustCreateUser(t, s, "admin")
	if _, _, err := s.Register(ctx, app, signup("carol")); !errors.Is(err, ErrRegistrationsClosed) {
		t.Fatalf("no invite: %v", err)
	}
	r := signup("carol")
	r.InviteCode = "nope"
	if _, _, err := s.Register(ctx, app, r); !errors.Is(err, ErrRegistrationsClosed) {
		t.Fatalf("bad invite: %v", err)
	}
	inv := &model.Invite{ID: model.NewID(s.now()), Code: "welcome-1", AccountID: admin.ID, MaxUses: 1, CreatedAt: s.now()}
	if err := s.store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	r.InviteCode = "welcome-1"
	a, g, err := s.Register(ctx, app, r)
	if err != nil {
		t.Fatal(err)
	}
	mustAuth(t, s, g.AccessToken)
	u, _ := s.store.User(ctx, a.ID)
	if !u.Approved || u.InviteID != inv.ID {
		t.Errorf("invited user = approved %v, invite %d", u.Approved, u.InviteID)
	}
	r2 := signup("dave")
	r2.InviteCode = "welcome-1"
	if _, _, err := s.Register(ctx, app, r2); !errors.Is(err, ErrRegistrationsClosed) {
		t.Errorf("a used-up invite worked again: %v", err)
	}
}

func TestRegisterClosed(t *testing.T) {
	s := serviceWithMode(t, model.RegistrationClosed)
	if _, _, err := s.Register(context.Background(), registrationApp(t, s), signup("erin")); !errors.Is(err, ErrRegistrationsClosed) || !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("closed: %v", err)
	}
}

func TestRegisterValidation(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	app := registrationApp(t, s)
	if _, _, err := s.Register(ctx, app, signup("alice")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(*Registration)
		field string
		code  string
	}{
		{"username taken", func(r *Registration) { r.Username, r.Email = "alice", "other@example.org" }, "username", "ERR_TAKEN"},
		{"username taken in another case", func(r *Registration) { r.Username, r.Email = "ALICE", "other@example.org" }, "username", "ERR_TAKEN"},
		{"email taken", func(r *Registration) { r.Email = "alice@example.org" }, "email", "ERR_TAKEN"},
		{"email taken in another form", func(r *Registration) { r.Email = "  ALICE@Example.ORG " }, "email", "ERR_TAKEN"},
		{"bad email", func(r *Registration) { r.Email = "not an email" }, "email", "ERR_INVALID"},
		{"email with a name", func(r *Registration) { r.Email = "Bob <bob@example.org>" }, "email", "ERR_INVALID"},
		{"blank username", func(r *Registration) { r.Username = "" }, "username", "ERR_BLANK"},
		{"bad username", func(r *Registration) { r.Username = "bob.smith" }, "username", "ERR_INVALID"},
		{"long username", func(r *Registration) { r.Username = strings.Repeat("b", 31) }, "username", "ERR_TOO_LONG"},
		{"reserved username", func(r *Registration) { r.Username = "Admin" }, "username", "ERR_RESERVED"},
		{"short password", func(r *Registration) { r.Password = "short" }, "password", "ERR_TOO_SHORT"},
		{"no agreement", func(r *Registration) { r.Agreement = false }, "agreement", "ERR_ACCEPTED"},
		{"bad locale", func(r *Registration) { r.Locale = "english!" }, "locale", "ERR_INCLUSION"},
	}
	for _, tt := range tests {
		r := signup("bob")
		tt.edit(&r)
		_, _, err := s.Register(ctx, app, r)
		if got := fieldCodes(t, err)[tt.field]; got != tt.code {
			t.Errorf("%s: %s code %q, want %q (%v)", tt.name, tt.field, got, tt.code, err)
		}
	}
	// Several problems are reported together.
	_, _, err := s.Register(ctx, app, Registration{Username: "a.b", Password: "x"})
	codes := fieldCodes(t, err)
	if codes["username"] == "" || codes["password"] == "" || codes["agreement"] == "" {
		t.Errorf("not every problem reported: %v", codes)
	}
	if msg := err.Error(); !strings.Contains(msg, "Username") || !strings.Contains(msg, "Password") {
		t.Errorf("message %q does not name the fields", msg)
	}
}

func TestEmailOptionalUnlessRequired(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	r := signup("alice")
	r.Email = ""
	a, _, err := s.Register(ctx, registrationApp(t, s), r)
	if err != nil {
		t.Fatalf("sign-up without email: %v", err)
	}
	if u, _ := s.store.User(ctx, a.ID); u.Email != "" || u.EmailHash != nil {
		t.Errorf("user without email has %q / %x", u.Email, u.EmailHash)
	}

	set := testSettings()
	set.EmailRequired = true
	s2 := newTestServiceWith(t, set, nil)
	_, _, err = s2.Register(ctx, registrationApp(t, s2), r)
	if fieldCodes(t, err)["email"] != "ERR_BLANK" {
		t.Fatalf("email required: %v", err)
	}
}

func TestEmailStoredNormalizedWithBlindIndex(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	a, err := s.CreateUser(ctx, NewUser{Username: "alice", Email: "  Alice@Example.ORG", Password: "password-alice", Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.store.User(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "alice@example.org" {
		t.Errorf("email stored as %q", u.Email)
	}
	if !bytes.Equal(u.EmailHash, s.vault.Blind("email", "alice@example.org")) {
		t.Error("EmailHash is not the blind index of the normalized email")
	}
	if strings.Contains(u.PasswordHash, "password-alice") || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("password stored as %q", u.PasswordHash)
	}
}

func TestCreateUserByAdmin(t *testing.T) {
	ctx := context.Background()
	s := serviceWithMode(t, model.RegistrationClosed)
	a, err := s.CreateUser(ctx, NewUser{Username: "admin", Password: "long enough", Role: model.RoleOwner, Approved: true})
	if err != nil {
		t.Fatalf("the CLI may create a reserved name whatever the mode: %v", err)
	}
	if u, _ := s.store.User(ctx, a.ID); u.Role != model.RoleOwner {
		t.Errorf("role %q", u.Role)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "x", Password: "long enough", Role: "king"}); fieldCodes(t, err)["role"] == "" {
		t.Errorf("bad role accepted: %v", err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "Admin", Password: "long enough"}); fieldCodes(t, err)["username"] != "ERR_TAKEN" {
		t.Errorf("duplicate: %v", err)
	}
}
