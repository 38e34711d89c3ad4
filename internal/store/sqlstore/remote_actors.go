package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Remote actor details are public (the actor publishes them to anyone) and
// are stored in clear in remote_actors; the profile text stays sealed in
// accounts, under the remote account's own key.

const remoteActorCols = `account_id, inbox, shared_inbox, outbox, followers, following, featured,
	key_id, public_key_pem, ed25519_key_id, ed25519_multibase, fetched_at`

func scanRemoteActor(r rowScanner) (*store.RemoteActor, error) {
	var ra store.RemoteActor
	err := r.Scan(&ra.AccountID, &ra.Inbox, &ra.SharedInbox, &ra.Outbox, &ra.Followers, &ra.Following,
		&ra.Featured, &ra.KeyID, &ra.PublicKeyPEM, &ra.Ed25519KeyID, &ra.Ed25519Multibase,
		timeCol{&ra.FetchedAt})
	return &ra, err
}

// PutRemoteActor upserts the account (found by URI) and its details in one
// transaction, then reads the account back.
func (s *Store) PutRemoteActor(ctx context.Context, a *model.Account, ra *store.RemoteActor) error {
	switch {
	case a.Domain == "":
		return model.Invalid("remote account needs a domain")
	case a.URI == "":
		return model.Invalid("remote account needs its ActivityPub id")
	}
	ra.FetchedAt = s.orNow(ra.FetchedAt)
	err := s.tx(ctx, func(c conn) error {
		if err := s.putRemoteAccount(ctx, c, a); err != nil {
			return err
		}
		ra.AccountID = a.ID
		if err := putRemoteActorRow(ctx, c, ra); err != nil {
			return err
		}
		return putRemoteMoves(ctx, c, ra.AccountID, ra.Moves, a.URI, micros(ra.FetchedAt))
	})
	if err != nil {
		return s.fail("put remote actor", err)
	}
	got, err := s.Account(ctx, a.ID)
	if err != nil {
		return err
	}
	*a = *got
	return nil
}

// putRemoteAccount inserts a, or rewrites the profile of the account that
// has its URI, setting a.ID.
func (s *Store) putRemoteAccount(ctx context.Context, c conn, a *model.Account) error {
	var id int64
	err := c.row(ctx, `SELECT id FROM accounts WHERE uri = $1 AND uri <> ''`, a.URI).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		s.prepareAccount(a)
		return s.insertAccount(ctx, c, a)
	}
	if err != nil {
		return err
	}
	a.ID = id
	a.UpdatedAt = s.orNow(a.UpdatedAt)
	name, note, fields, err := s.sealAccount(ctx, a)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE accounts SET display_name = $2, note = $3, fields = $4,
		locked = $5, bot = $6, discoverable = $7, noindex = $8, url = $9, updated_at = $10 WHERE id = $1`,
		a.ID, nullBytes(name), nullBytes(note), nullBytes(fields), a.Locked, a.Bot, a.Discoverable, a.NoIndex,
		a.URL, micros(a.UpdatedAt))
	return err
}

// putRemoteActorRow upserts ra, first taking its key ids from any other
// actor that held them.
func putRemoteActorRow(ctx context.Context, c conn, ra *store.RemoteActor) error {
	if ra.KeyID != "" {
		if _, err := c.exec(ctx, `UPDATE remote_actors SET key_id = '', public_key_pem = ''
			WHERE key_id = $1 AND account_id <> $2`, ra.KeyID, ra.AccountID); err != nil {
			return err
		}
	}
	if ra.Ed25519KeyID != "" {
		if _, err := c.exec(ctx, `UPDATE remote_actors SET ed25519_key_id = '', ed25519_multibase = ''
			WHERE ed25519_key_id = $1 AND account_id <> $2`, ra.Ed25519KeyID, ra.AccountID); err != nil {
			return err
		}
	}
	_, err := c.exec(ctx, `INSERT INTO remote_actors (`+remoteActorCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (account_id) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
		outbox = excluded.outbox, followers = excluded.followers, following = excluded.following,
		featured = excluded.featured, key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
		ed25519_key_id = excluded.ed25519_key_id, ed25519_multibase = excluded.ed25519_multibase,
		fetched_at = excluded.fetched_at`,
		ra.AccountID, ra.Inbox, ra.SharedInbox, ra.Outbox, ra.Followers, ra.Following, ra.Featured,
		ra.KeyID, ra.PublicKeyPEM, ra.Ed25519KeyID, ra.Ed25519Multibase, micros(ra.FetchedAt))
	return err
}

func (s *Store) RemoteActor(ctx context.Context, accountID int64) (*store.RemoteActor, error) {
	r := s.conn().row(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE account_id = $1`, accountID)
	ra, err := scanRemoteActor(r)
	return ra, s.fail(opID("remote actor", accountID), err)
}

// RemoteActorByKeyID reads the two partial key indexes; an empty key id
// matches nothing.
func (s *Store) RemoteActorByKeyID(ctx context.Context, keyID string) (*store.RemoteActor, error) {
	if keyID == "" {
		return nil, s.fail("remote actor by key", model.ErrNotFound)
	}
	r := s.conn().row(ctx, `SELECT `+remoteActorCols+` FROM remote_actors
		WHERE (key_id = $1 AND key_id <> '') OR (ed25519_key_id = $1 AND ed25519_key_id <> '')`, keyID)
	ra, err := scanRemoteActor(r)
	return ra, s.fail("remote actor by key", err)
}
