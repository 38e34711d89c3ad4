package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/model"
)

const appCols = `id, name, website, redirect_uris, scopes, client_id, client_secret_hash, owner_id, created_at`

func scanApp(sc rowScanner) (*model.App, error) {
	var a model.App
	var uris string
	err := sc.Scan(&a.ID, &a.Name, &a.Website, &uris, &a.Scopes, &a.ClientID, &a.ClientSecretHash,
		idCol{&a.OwnerID}, timeCol{&a.CreatedAt})
	if uris != "" {
		a.RedirectURIs = strings.Split(uris, "\n")
	}
	return &a, err
}

// CreateApp stores the redirect URIs one per line (a URI has no newline).
func (s *Store) CreateApp(ctx context.Context, a *model.App) error {
	a.CreatedAt = s.orNow(a.CreatedAt)
	a.ID = newID(a.ID, a.CreatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO apps (`+appCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"), a.Scopes, a.ClientID,
		a.ClientSecretHash, nullID(a.OwnerID), micros(a.CreatedAt))
	return s.fail("create app", err)
}

func (s *Store) App(ctx context.Context, id int64) (*model.App, error) {
	a, err := scanApp(s.conn().row(ctx, `SELECT `+appCols+` FROM apps WHERE id = $1`, id))
	if err != nil {
		return nil, s.fail(opID("app", id), err)
	}
	return a, nil
}

func (s *Store) AppByClientID(ctx context.Context, clientID string) (*model.App, error) {
	a, err := scanApp(s.conn().row(ctx, `SELECT `+appCols+` FROM apps WHERE client_id = $1`, clientID))
	if err != nil {
		return nil, s.fail("app by client id", err)
	}
	return a, nil
}

const tokenCols = `id, hash, app_id, account_id, scopes, created_at, last_used_day, revoked_at`

func (s *Store) CreateToken(ctx context.Context, t *model.Token) error {
	t.CreatedAt = s.orNow(t.CreatedAt)
	t.ID = newID(t.ID, t.CreatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.Hash, t.AppID, nullID(t.AccountID), t.Scopes, micros(t.CreatedAt), t.LastUsedDay, nullMicros(t.RevokedAt))
	return s.fail("create token", err)
}

func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*model.Token, error) {
	var t model.Token
	err := s.conn().row(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1 AND revoked_at IS NULL`, hash).
		Scan(&t.ID, &t.Hash, &t.AppID, idCol{&t.AccountID}, &t.Scopes, timeCol{&t.CreatedAt},
			&t.LastUsedDay, nullTimeCol{&t.RevokedAt})
	if err != nil {
		return nil, s.fail("token", err)
	}
	return &t, nil
}

// TouchToken writes only when the day changes, so a busy token costs one
// write a day.
func (s *Store) TouchToken(ctx context.Context, id int64, day string) error {
	_, err := s.conn().exec(ctx, `UPDATE tokens SET last_used_day = $2 WHERE id = $1 AND last_used_day <> $2`, id, day)
	return s.fail("touch token", err)
}

func (s *Store) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.conn().exec(ctx, `UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, micros(at))
	return s.fail("revoke token", err)
}

func (s *Store) RevokeAccountTokens(ctx context.Context, accountID int64, at time.Time) error {
	_, err := s.conn().exec(ctx, `UPDATE tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL`,
		accountID, micros(at))
	return s.fail("revoke account tokens", err)
}

const authCodeCols = `hash, app_id, account_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at`

func (s *Store) CreateAuthCode(ctx context.Context, c *model.AuthCode) error {
	_, err := s.conn().exec(ctx, `INSERT INTO auth_codes (`+authCodeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.Hash, c.AppID, c.AccountID, c.RedirectURI, c.Scopes, c.CodeChallenge, c.CodeChallengeMethod, micros(c.ExpiresAt))
	return s.fail("create auth code", err)
}

// TakeAuthCode deletes and returns in one statement, so of two concurrent
// takers exactly one gets the code. Expiry is the caller's to check.
func (s *Store) TakeAuthCode(ctx context.Context, hash []byte) (*model.AuthCode, error) {
	var c model.AuthCode
	err := s.conn().row(ctx, `DELETE FROM auth_codes WHERE hash = $1 RETURNING `+authCodeCols, hash).
		Scan(&c.Hash, &c.AppID, &c.AccountID, &c.RedirectURI, &c.Scopes, &c.CodeChallenge,
			&c.CodeChallengeMethod, timeCol{&c.ExpiresAt})
	if err != nil {
		return nil, s.fail("take auth code", err)
	}
	return &c, nil
}
