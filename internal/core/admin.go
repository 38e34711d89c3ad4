package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// UserEntry is one row of UserList.
type UserEntry struct {
	Account *model.Account
	User    *model.User
}

// localUser loads a local account and its user by username.
func (s *Service) localUser(ctx context.Context, username string) (*model.Account, *model.User, error) {
	a, err := s.store.AccountByUsername(ctx, username, "")
	if err != nil {
		return nil, nil, fmt.Errorf("user %q: %w", username, err)
	}
	u, err := s.store.User(ctx, a.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("user %q: %w", username, err)
	}
	return a, u, nil
}

// SetRole gives a local user a staff role, or takes it away with RoleUser.
func (s *Service) SetRole(ctx context.Context, username string, role model.Role) error {
	if !role.Valid() {
		return model.Invalid("role must be owner, admin, moderator or user")
	}
	_, u, err := s.localUser(ctx, username)
	if err != nil {
		return fmt.Errorf("core: set role: %w", err)
	}
	u.Role = role
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("core: set role: %w", err)
	}
	return nil
}

// ResetPassword gives a local user a new random password, clears any
// sign-in lock, and revokes every token the user holds. The password is
// returned to be handed over once; it is stored only as a hash.
func (s *Service) ResetPassword(ctx context.Context, username string) (string, error) {
	a, u, err := s.localUser(ctx, username)
	if err != nil {
		return "", fmt.Errorf("core: reset password: %w", err)
	}
	pw, err := newRandomPassword()
	if err != nil {
		return "", err
	}
	if u.PasswordHash, err = hashPassword(pw); err != nil {
		return "", err
	}
	u.FailedLogins, u.LockedUntil = 0, nil
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return "", fmt.Errorf("core: reset password: %w", err)
	}
	if err := s.store.RevokeAccountTokens(ctx, a.ID, s.now()); err != nil {
		return "", fmt.Errorf("core: reset password: %w", err)
	}
	return pw, nil
}

// UserList lists local users, newest first, with their accounts.
func (s *Service) UserList(ctx context.Context, p store.Page) ([]UserEntry, error) {
	users, err := s.store.Users(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("core: list users: %w", err)
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.AccountID
	}
	accts, err := s.store.AccountsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("core: list users: %w", err)
	}
	out := make([]UserEntry, 0, len(users))
	for _, u := range users {
		if a := accts[u.AccountID]; a != nil {
			out = append(out, UserEntry{Account: a, User: u})
		}
	}
	return out, nil
}

// ApproveUser lets a user who signed up in approval mode in.
func (s *Service) ApproveUser(ctx context.Context, username string) error {
	_, u, err := s.localUser(ctx, username)
	if err != nil {
		return fmt.Errorf("core: approve: %w", err)
	}
	if u.Approved {
		return nil
	}
	u.Approved, u.Reason = true, "" // the sign-up reason is kept only while it waits
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("core: approve: %w", err)
	}
	return nil
}

// SuspendAccount suspends a local account: it disappears from others'
// view, its login is disabled and every token it holds is revoked.
func (s *Service) SuspendAccount(ctx context.Context, username string) error {
	a, u, err := s.localUser(ctx, username)
	if err != nil {
		return fmt.Errorf("core: suspend: %w", err)
	}
	now := s.now()
	if a.SuspendedAt == nil {
		if err := s.store.SetAccountSuspended(ctx, a.ID, &now); err != nil {
			return fmt.Errorf("core: suspend: %w", err)
		}
	}
	if u.DisabledAt == nil {
		u.DisabledAt = &now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return fmt.Errorf("core: suspend: %w", err)
		}
	}
	if err := s.store.RevokeAccountTokens(ctx, a.ID, now); err != nil {
		return fmt.Errorf("core: suspend: %w", err)
	}
	return nil
}
