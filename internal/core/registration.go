package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// ErrRegistrationsClosed refuses a sign-up that the registration mode does
// not allow (closed, or invite-only without a valid invite). It is
// model.ErrForbidden.
var ErrRegistrationsClosed = fmt.Errorf("registrations closed: %w", model.ErrForbidden)

// Registration is a sign-up through POST /api/v1/accounts.
type Registration struct {
	Username   string
	Email      string
	Password   string
	Agreement  bool
	Locale     string
	Reason     string
	InviteCode string
	// Scopes are those of the token that asks, which the new user's token
	// gets, as in Mastodon; none means the app's.
	Scopes Scopes
}

// Register signs a new user up under the instance's registration mode and
// returns the account with an access token for app, carrying r.Scopes
// (within the app's). In approval mode the account waits for an admin (its
// token is refused until then) unless a valid invite came with it.
func (s *Service) Register(ctx context.Context, app *model.App, r Registration) (*model.Account, *Grant, error) {
	mode := s.settings().Registration
	if mode == model.RegistrationClosed || (mode == model.RegistrationInvite && r.InviteCode == "") || hasNUL(r.InviteCode) {
		return nil, nil, ErrRegistrationsClosed
	}
	if err := s.checkRegistration(ctx, &r, mode); err != nil {
		return nil, nil, err
	}
	approved := mode == model.RegistrationOpen
	var inviteID int64
	if r.InviteCode != "" {
		inv, err := s.store.UseInvite(ctx, r.InviteCode, s.now())
		if errors.Is(err, model.ErrNotFound) {
			return nil, nil, ErrRegistrationsClosed
		}
		if err != nil {
			return nil, nil, fmt.Errorf("core: register: %w", err)
		}
		approved, inviteID = true, inv.ID
	}
	nu := NewUser{Username: r.Username, Email: r.Email, Password: r.Password, Role: model.RoleUser, Approved: approved}
	a, err := s.createUser(ctx, nu, func(u *model.User) {
		u.Locale, u.InviteID = r.Locale, inviteID
		if !approved { // the reason is kept only until an admin decides
			u.Reason = r.Reason
		}
	})
	if err != nil {
		return nil, nil, err
	}
	sc := ParseScopes(app.Scopes)
	if len(r.Scopes) > 0 && r.Scopes.Within(sc) {
		sc = r.Scopes
	}
	g, err := s.issueToken(ctx, app.ID, a.ID, sc)
	if err != nil {
		return nil, nil, err
	}
	return a, g, nil
}

func (s *Service) checkRegistration(ctx context.Context, r *Registration, mode model.RegistrationMode) error {
	r.Reason = strings.TrimSpace(r.Reason)
	var errs []error
	if !r.Agreement {
		errs = append(errs, fieldErr("agreement", "ERR_ACCEPTED", "must be accepted"))
	}
	if r.Locale != "" && !languageCode.MatchString(r.Locale) {
		errs = append(errs, fieldErr("locale", "ERR_INCLUSION", "is not included in the list"))
	}
	if mode == model.RegistrationApproval && r.InviteCode == "" && r.Reason == "" {
		errs = append(errs, fieldErr("reason", "ERR_BLANK", "can't be blank"))
	}
	if utf8.RuneCountInString(r.Reason) > maxReasonChars {
		errs = append(errs, tooLong("reason", maxReasonChars))
	}
	errs = append(errs, s.checkNewUser(ctx, &NewUser{Username: r.Username, Email: r.Email, Password: r.Password}, true))
	return joinFieldErrors(errs...)
}

// NewUser is a local user to create, from the CLI or a sign-up.
type NewUser struct {
	Username string
	Email    string
	Password string
	Role     model.Role
	Approved bool
}

// CreateUser creates a local account and its user, whatever the
// registration mode: the CLI's create-user. An empty role is RoleUser.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (*model.Account, error) {
	if n.Role == "" {
		n.Role = model.RoleUser
	}
	if !n.Role.Valid() {
		return nil, fieldErr("role", "ERR_INCLUSION", "is not included in the list")
	}
	if err := s.checkNewUser(ctx, &n, false); err != nil {
		return nil, err
	}
	return s.createUser(ctx, n, nil)
}

// checkNewUser validates and normalizes a new user's username, email and
// password, and reports a username or email already taken. signup is a
// self-service sign-up, which may not take a reserved username.
func (s *Service) checkNewUser(ctx context.Context, n *NewUser, signup bool) error {
	n.Username = strings.TrimSpace(n.Username)
	n.Email = normalizeEmail(n.Email)
	errs := []error{checkUsername(n.Username, signup), checkNewPassword(n.Password)}
	if errs[0] == nil {
		errs = append(errs, s.usernameFree(ctx, n.Username))
		errs = append(errs, s.usernameReserved(ctx, n.Username))
	}
	switch {
	case n.Email == "" && s.settings().EmailRequired:
		errs = append(errs, fieldErr("email", "ERR_BLANK", "can't be blank"))
	case n.Email != "":
		if err := checkEmail(n.Email); err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, s.emailFree(ctx, n.Email))
		}
	}
	return joinFieldErrors(errs...)
}

func (s *Service) usernameFree(ctx context.Context, name string) error {
	_, err := s.store.AccountByUsername(ctx, name, "")
	switch {
	case err == nil:
		return fieldErr("username", "ERR_TAKEN", "has already been taken")
	case errors.Is(err, model.ErrNotFound):
		return nil
	}
	return fmt.Errorf("core: check username: %w", err)
}

func (s *Service) emailFree(ctx context.Context, email string) error {
	_, err := s.store.UserByEmailHash(ctx, s.emailHash(email))
	switch {
	case err == nil:
		return fieldErr("email", "ERR_TAKEN", "has already been taken")
	case errors.Is(err, model.ErrNotFound):
		return nil
	}
	return fmt.Errorf("core: check email: %w", err)
}

// createUser stores a validated new user; edit may fill in more of the user.
func (s *Service) createUser(ctx context.Context, n NewUser, edit func(*model.User)) (*model.Account, error) {
	hash, err := hashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &model.Account{ID: model.NewID(now), Username: n.Username, CreatedAt: now, UpdatedAt: now}
	u := &model.User{AccountID: a.ID, Email: n.Email, PasswordHash: hash, Role: n.Role, Approved: n.Approved, CreatedAt: now}
	if n.Email != "" {
		u.EmailHash = s.emailHash(n.Email)
	}
	if edit != nil {
		edit(u)
	}
	if err := s.store.CreateLocalAccount(ctx, a, u); err != nil {
		if errors.Is(err, model.ErrConflict) { // lost a race for the name or email
			return nil, fieldErr("username", "ERR_TAKEN", "has already been taken")
		}
		return nil, fmt.Errorf("core: create user: %w", err)
	}
	return a, nil
}

// checkUsername applies Mastodon's rules for a new local username; a
// sign-up may not take a reserved name, an admin may.
func checkUsername(name string, signup bool) error {
	if err := text.ValidUsername(name); err != nil {
		switch {
		case name == "":
			return fieldErr("username", "ERR_BLANK", "can't be blank")
		case len(name) > text.MaxUsernameLen:
			return tooLong("username", text.MaxUsernameLen)
		}
		return fieldErr("username", "ERR_INVALID", "must contain only letters, numbers and underscores")
	}
	if signup && text.Reserved(name) {
		return fieldErr("username", "ERR_RESERVED", "is reserved")
	}
	return nil
}
