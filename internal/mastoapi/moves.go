package mastoapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Account migration, as GoToSocial offers it to Mastodon clients: set the
// aliases (alsoKnownAs) an account may be moved from, and move an account
// to one that lists it.

// moveRoutes registers the alias and move endpoints.
func (s *Server) moveRoutes() {
	s.mux.HandleFunc("POST /api/v1/accounts/alias", s.user("write:accounts", s.setAliases))
	s.mux.HandleFunc("POST /api/v1/accounts/move", s.user("write:accounts", s.moveAccount))
}

// setAliases is POST /api/v1/accounts/alias: also_known_as is a list of
// actor URLs or handles; an empty list clears the aliases. It answers the
// caller's CredentialAccount.
func (s *Server) setAliases(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	aliases, ok := aliasList(p)
	if !ok {
		writeError(w, http.StatusBadRequest, "also_known_as must be a list of strings")
		return
	}
	if _, err := s.svc.SetAliases(r.Context(), a, aliases); err != nil {
		s.fail(w, r, err)
		return
	}
	s.verifyCredentials(w, r, a)
}

// aliasList reads also_known_as; ok is false when JSON gave something
// else than strings, which must not be taken for an empty list.
func aliasList(p *params) (list []string, ok bool) {
	raw, isJSON := p.json["also_known_as"]
	if !isJSON {
		return p.Strings("also_known_as"), true
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		arr = []json.RawMessage{raw}
	}
	for _, v := range arr {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil, false
		}
		list = append(list, s)
	}
	return list, true
}

// moveAccount is POST /api/v1/accounts/move: password and moved_to_uri
// (the new account's URL or handle). It answers 202 with the moved
// account; the Move reaches the followers' servers afterwards.
func (s *Server) moveAccount(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	password, target := p.String("password"), p.String("moved_to_uri")
	if password == "" || target == "" {
		writeError(w, http.StatusBadRequest, "password and moved_to_uri are required")
		return
	}
	moved, err := s.svc.MoveAccount(r.Context(), a, password, target)
	if errors.Is(err, core.ErrBadCredentials) {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: the password is not correct")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, s.renderAccount(moved))
}

// movedAccount renders the account a moved to, as a signed-out reader may
// see it, for the Account entity's moved; nil when it is not to be shown.
// It goes one level deep, as Mastodon does.
func (s *Server) movedAccount(a *model.Account) *Account {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t, err := s.svc.Account(ctx, 0, a.MovedToID)
	if err != nil {
		return nil
	}
	t.MovedToID = 0
	out := s.renderAccount(t)
	return &out
}
