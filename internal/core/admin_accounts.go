package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// The admin API's accounts (Mastodon's /api/v1/admin/accounts): staff
// list and read accounts, approve or reject sign-ups waiting for approval,
// suspend and unsuspend. Silencing and marking media sensitive are not
// modelled in Roost, so those actions are refused as invalid.

// Admin account actions, Mastodon's `type` of POST .../action.
const (
	AccountActionNone    = "none"
	AccountActionSuspend = "suspend"
)

// ErrAccountNotPending refuses to approve or reject an account that is not
// a local sign-up waiting for approval. It is model.ErrForbidden, as
// Mastodon's policy answers.
var ErrAccountNotPending = fmt.Errorf("the account is not waiting for approval: %w", model.ErrForbidden)

// ErrOutranked refuses an action on one's own account or on a staff member
// of equal or higher role. It is model.ErrForbidden.
var ErrOutranked = fmt.Errorf("the account's role is not below the caller's: %w", model.ErrForbidden)

// ErrNotSuspended refuses to unsuspend an account that is not suspended.
// It is model.ErrForbidden, as Mastodon's policy answers.
var ErrNotSuspended = fmt.Errorf("the account is not suspended: %w", model.ErrForbidden)

// AdminAccounts lists accounts for staff, newest first, each local one
// with its user.
func (s *Service) AdminAccounts(ctx context.Context, a *Auth, f store.AdminAccountFilter, p store.Page) (*Listing[UserEntry], error) {
	if err := CheckStaff(a); err != nil {
		return nil, err
	}
	list, err := s.store.AdminAccounts(ctx, f, p)
	if err != nil {
		return nil, fmt.Errorf("core: admin accounts: %w", err)
	}
	l := &Listing[UserEntry]{Items: make([]UserEntry, 0, len(list))}
	if len(list) > 0 {
		l.Newest, l.Oldest = list[0].ID, list[len(list)-1].ID
	}
	for _, acct := range list {
		e, err := s.withUser(ctx, acct)
		if errors.Is(err, model.ErrShredded) || errors.Is(err, model.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		l.Items = append(l.Items, e)
	}
	return l, nil
}

// AdminAccount returns account id, with its user when local, for staff.
func (s *Service) AdminAccount(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	if err := CheckStaff(a); err != nil {
		return UserEntry{}, err
	}
	acct, err := s.store.Account(ctx, id)
	if err != nil {
		return UserEntry{}, fmt.Errorf("core: admin account: %w", err)
	}
	return s.withUser(ctx, acct)
}

func (s *Service) withUser(ctx context.Context, acct *model.Account) (UserEntry, error) {
	e := UserEntry{Account: acct}
	if !acct.Local() {
		return e, nil
	}
	u, err := s.store.User(ctx, acct.ID)
	if err != nil {
		return e, fmt.Errorf("core: admin account user: %w", err)
	}
	e.User = u
	return e, nil
}

// ApproveAccount lets a pending sign-up in and forgets its sign-up reason,
// which was kept only for this decision.
func (s *Service) ApproveAccount(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	e, err := s.pendingAccount(ctx, a, id)
	if err != nil {
		return e, fmt.Errorf("core: approve: %w", err)
	}
	e.User.Approved, e.User.Reason = true, ""
	if err := s.store.UpdateUser(ctx, e.User); err != nil {
		return e, fmt.Errorf("core: approve: %w", err)
	}
	return e, nil
}

// RejectAccount refuses a pending sign-up: the account is deleted for real,
// as account deletion does (keys shredded, rows removed, the username
// reserved for a while). It returns the account as it was.
func (s *Service) RejectAccount(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	e, err := s.pendingAccount(ctx, a, id)
	if err != nil {
		return e, fmt.Errorf("core: reject: %w", err)
	}
	if err := s.deleteAccount(ctx, e.Account); err != nil {
		return e, fmt.Errorf("core: reject: %w", err)
	}
	e.User.Reason = ""
	return e, nil
}

// pendingAccount loads a local account waiting for approval, for staff.
func (s *Service) pendingAccount(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	e, err := s.AdminAccount(ctx, a, id)
	if err != nil {
		return e, err
	}
	if e.User == nil || e.User.Approved {
		return e, ErrAccountNotPending
	}
	return e, nil
}

// AccountAction is POST /api/v1/admin/accounts/{id}/action.
type AccountAction struct {
	Type     string
	ReportID int64 // a report to resolve with the action; 0 for none
}

// TakeAccountAction applies an action to account id: suspend (a local
// account is also signed out everywhere and cannot sign in; a remote one is
// hidden and its activities dropped) or none. With a report, the report
// must be about the account and is resolved. Other types are
// model.ErrInvalid: Roost does not model them.
func (s *Service) TakeAccountAction(ctx context.Context, a *Auth, id int64, act AccountAction) error {
	e, err := s.actionTarget(ctx, a, id)
	if err != nil {
		return fmt.Errorf("core: account action: %w", err)
	}
	if err := checkActionType(act.Type); err != nil {
		return err
	}
	if act.ReportID != 0 {
		r, err := s.store.Report(ctx, act.ReportID)
		if err != nil {
			return fmt.Errorf("core: account action: %w", err)
		}
		if r.TargetAccountID != id {
			return model.Invalid("the report is about another account")
		}
	}
	if act.Type == AccountActionSuspend {
		if err := s.suspend(ctx, e); err != nil {
			return fmt.Errorf("core: account action: %w", err)
		}
	}
	if act.ReportID != 0 {
		if _, err := s.ResolveReport(ctx, a, act.ReportID, true); err != nil {
			return err
		}
	}
	return nil
}

func checkActionType(t string) error {
	switch t {
	case AccountActionNone, AccountActionSuspend:
		return nil
	case "":
		return model.Invalid("type can't be blank")
	case "silence", "sensitive", "disable":
		return model.Invalid(fmt.Sprintf("type %s is not supported by Roost; use suspend or none", t))
	}
	return model.Invalid("type must be one of none, suspend")
}

// actionTarget loads account id for a moderation action by a: never one's
// own account, nor a staff member of a's rank or higher.
func (s *Service) actionTarget(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	e, err := s.AdminAccount(ctx, a, id)
	if err != nil {
		return e, err
	}
	if id == a.ViewerID() || (e.User != nil && roleRank(e.User.Role) >= roleRank(a.User.Role) && e.User.Role.Staff()) {
		return e, ErrOutranked
	}
	return e, nil
}

func roleRank(r model.Role) int {
	switch r {
	case model.RoleOwner:
		return 3
	case model.RoleAdmin:
		return 2
	case model.RoleModerator:
		return 1
	}
	return 0
}

func (s *Service) suspend(ctx context.Context, e UserEntry) error {
	if e.Account.Local() {
		return s.SuspendAccount(ctx, e.Account.Username)
	}
	if e.Account.SuspendedAt != nil {
		return nil
	}
	now := s.now()
	return s.store.SetAccountSuspended(ctx, e.Account.ID, &now)
}

// UnsuspendAccount lifts a suspension: a local user may sign in again
// (their old tokens stay revoked). An account that is not suspended is
// ErrForbidden, as Mastodon's policy answers.
func (s *Service) UnsuspendAccount(ctx context.Context, a *Auth, id int64) (UserEntry, error) {
	e, err := s.actionTarget(ctx, a, id)
	if err != nil {
		return e, fmt.Errorf("core: unsuspend: %w", err)
	}
	if e.Account.SuspendedAt == nil {
		return e, fmt.Errorf("core: unsuspend: %w", ErrNotSuspended)
	}
	if err := s.store.SetAccountSuspended(ctx, id, nil); err != nil {
		return e, fmt.Errorf("core: unsuspend: %w", err)
	}
	e.Account.SuspendedAt = nil
	if e.User != nil && e.User.DisabledAt != nil {
		e.User.DisabledAt = nil
		if err := s.store.UpdateUser(ctx, e.User); err != nil {
			return e, fmt.Errorf("core: unsuspend: %w", err)
		}
	}
	return e, nil
}
