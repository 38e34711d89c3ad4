package core

import (
	"context"

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

// Scopes is a granted OAuth scope set.
type Scopes []string

// TEMPORARY: the accounts/OAuth slice replaces this file's stubs.

// Allows reports whether the set grants scope.
func (s Scopes) Allows(scope string) bool { return false }

// Authenticate checks a bearer token.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*Auth, error) {
	return nil, model.ErrUnauthorized
}

type loginThrottle struct{}

func newLoginThrottle() *loginThrottle { return &loginThrottle{} }
