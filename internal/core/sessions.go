package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// Session is one of a user's live tokens, as their sessions page shows it:
// the app that holds it, never the token itself.
type Session struct {
	Token *model.Token
	// App is nil when the app row cannot be read.
	App *model.App
	// Current says that this is the token making the call.
	Current bool
}

// Sessions lists the caller's live tokens, newest first.
func (s *Service) Sessions(ctx context.Context, a *Auth) ([]Session, error) {
	if a == nil || a.Account == nil {
		return nil, fmt.Errorf("core: sessions: %w", model.ErrUnauthorized)
	}
	toks, err := s.store.AccountTokens(ctx, a.Account.ID)
	if err != nil {
		return nil, fmt.Errorf("core: sessions: %w", err)
	}
	apps := map[int64]*model.App{}
	out := make([]Session, 0, len(toks))
	for _, t := range toks {
		app, ok := apps[t.AppID]
		if !ok {
			app, err = s.store.App(ctx, t.AppID)
			if err != nil && !errors.Is(err, model.ErrNotFound) {
				return nil, fmt.Errorf("core: sessions: %w", err)
			}
			apps[t.AppID] = app
		}
		cur := a.Token != nil && a.Token.ID == t.ID
		out = append(out, Session{Token: t, App: app, Current: cur})
	}
	return out, nil
}

// RevokeSession revokes the caller's token id (the current one too, which
// signs out). Someone else's token, or one already revoked, is
// model.ErrNotFound.
func (s *Service) RevokeSession(ctx context.Context, a *Auth, id int64) error {
	if a == nil || a.Account == nil {
		return fmt.Errorf("core: revoke session: %w", model.ErrUnauthorized)
	}
	toks, err := s.store.AccountTokens(ctx, a.Account.ID)
	if err != nil {
		return fmt.Errorf("core: revoke session: %w", err)
	}
	for _, t := range toks {
		if t.ID == id {
			if err := s.store.RevokeToken(ctx, id, s.now()); err != nil {
				return fmt.Errorf("core: revoke session: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("core: revoke session %d: %w", id, model.ErrNotFound)
}
