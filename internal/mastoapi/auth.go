package mastoapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// handler is an endpoint that has been through the token check. a is nil
// only on endpoints that allow signed-out callers and got no token.
type handler func(w http.ResponseWriter, r *http.Request, a *core.Auth)

// bearer returns the request's bearer token. Tokens are only accepted in the
// Authorization header, never in the URL.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// check authenticates r and enforces scope: a space-separated list of
// scopes of which the token must grant one ("profile read:accounts"). It
// writes the error and returns nil, false when the request may not go on.
func (s *Server) check(w http.ResponseWriter, r *http.Request, scope string, optional, needUser bool) (*core.Auth, bool) {
	tok := bearer(r)
	if tok == "" {
		if optional {
			return nil, true
		}
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return nil, false
	}
	a, err := s.svc.Authenticate(r.Context(), tok)
	if err != nil {
		if errors.Is(err, model.ErrUnauthorized) || errors.Is(err, model.ErrNotFound) {
			writeError(w, http.StatusUnauthorized, "The access token is invalid")
		} else if errors.Is(err, core.ErrPendingApproval) {
			writeError(w, http.StatusForbidden, "Your login is currently pending approval")
		} else if errors.Is(err, model.ErrForbidden) {
			writeError(w, http.StatusForbidden, "Your login is currently disabled")
		} else {
			s.fail(w, r, err)
		}
		return nil, false
	}
	if scope != "" && !a.Scopes.AllowsAny(strings.Fields(scope)...) {
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return nil, false
	}
	if needUser && a.Account == nil {
		writeError(w, http.StatusUnprocessableEntity, "This method requires an authenticated user")
		return nil, false
	}
	return a, true
}

// user wraps an endpoint that needs a signed-in user's token with scope.
func (s *Server) user(scope string, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a, ok := s.check(w, r, scope, false, true); ok {
			h(w, r, a)
		}
	}
}

// app wraps an endpoint that needs any valid token (an app-only token will
// do) with scope.
func (s *Server) app(scope string, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a, ok := s.check(w, r, scope, false, false); ok {
			h(w, r, a)
		}
	}
}

// public wraps an endpoint that signed-out callers may use; a token, when
// given, must be valid and carry scope.
func (s *Server) public(scope string, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a, ok := s.check(w, r, scope, true, false); ok {
			h(w, r, a)
		}
	}
}
