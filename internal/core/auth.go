package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// Auth is who is calling and with what grant: the result of checking a
// bearer token. Account and User are nil for an app-only
// (client_credentials) token.
type Auth struct {
	Token   *model.Token
	App     *model.App
	Account *model.Account
	User    *model.User
	Scopes  Scopes
}

// ViewerID is the calling account's ID, or 0.
func (a *Auth) ViewerID() int64 {
	if a == nil || a.Account == nil {
		return 0
	}
	return a.Account.ID
}

// Reasons a valid token is refused. Both are model.ErrForbidden.
var (
	ErrLoginDisabled   = fmt.Errorf("login disabled: %w", model.ErrForbidden)
	ErrPendingApproval = fmt.Errorf("pending approval: %w", model.ErrForbidden)
)

// maxBearerLen bounds what Authenticate hashes; real tokens are 43 bytes.
const maxBearerLen = 512

// Authenticate checks a bearer token: an unknown or revoked token is
// model.ErrUnauthorized; the token of a suspended, disabled or not yet
// approved user is ErrLoginDisabled or ErrPendingApproval. The day of use is
// recorded, never a finer time.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*Auth, error) {
	if bearer == "" || len(bearer) > maxBearerLen {
		return nil, model.ErrUnauthorized
	}
	tok, err := s.store.TokenByHash(ctx, hashSecret(bearer))
	if err != nil {
		return nil, authErr(err)
	}
	app, err := s.store.App(ctx, tok.AppID)
	if err != nil {
		return nil, authErr(err)
	}
	a := &Auth{Token: tok, App: app, Scopes: ParseScopes(tok.Scopes)}
	if tok.AccountID != 0 {
		if a.Account, a.User, err = s.signedIn(ctx, tok.AccountID); err != nil {
			return nil, err
		}
	}
	if day := s.today(); tok.LastUsedDay != day {
		if err := s.store.TouchToken(ctx, tok.ID, day); err != nil {
			return nil, fmt.Errorf("core: authenticate: %w", err)
		}
		tok.LastUsedDay = day
		s.noteSignInDay(ctx, a.User)
	}
	return a, nil
}

// signedIn loads a token's account and user and refuses those who may not
// use the API.
func (s *Service) signedIn(ctx context.Context, accountID int64) (*model.Account, *model.User, error) {
	acct, err := s.store.Account(ctx, accountID)
	if err != nil {
		return nil, nil, authErr(err)
	}
	u, err := s.store.User(ctx, accountID)
	if err != nil {
		return nil, nil, authErr(err)
	}
	if err := usable(acct, u); err != nil {
		return nil, nil, err
	}
	return acct, u, nil
}

// usable reports why a user may not sign in or use a token, or nil.
func usable(a *model.Account, u *model.User) error {
	switch {
	case a.SuspendedAt != nil || u.DisabledAt != nil:
		return ErrLoginDisabled
	case !u.Approved:
		return ErrPendingApproval
	}
	return nil
}

// noteSignInDay records the day a user was last active, for the instance's
// weekly login figures. It is best effort: a failure only skews a count.
// It rereads the user under the sign-in lock so as not to undo a failed
// sign-in counted meanwhile.
func (s *Service) noteSignInDay(ctx context.Context, u *model.User) {
	day := s.today()
	if u == nil || u.LastSignInDay == day {
		return
	}
	release := s.login.hold(u.AccountID)
	defer release()
	fresh, err := s.store.User(ctx, u.AccountID)
	if err != nil || fresh.LastSignInDay == day {
		return
	}
	fresh.LastSignInDay = day
	if s.store.UpdateUser(ctx, fresh) == nil {
		u.LastSignInDay = day
	}
}

func (s *Service) today() string { return s.now().UTC().Format("2006-01-02") }

// authErr turns a lookup failure during authentication into
// model.ErrUnauthorized, keeping other failures as they are.
func authErr(err error) error {
	if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrShredded) {
		return model.ErrUnauthorized
	}
	return fmt.Errorf("core: authenticate: %w", err)
}

// hashSecret is how tokens, codes and client secrets are stored: SHA-256 of
// the string the client holds. The secrets are 256-bit random values, so a
// fast hash is enough.
func hashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
