package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/roost-social/roost/internal/store"
)

// heldAccounts is the subquery of the accounts under a hold in force at
// the placeholder it is given.
func heldAccounts(now string) string {
	return `(SELECT account_id FROM legal_holds WHERE until_at > ` + now + `)`
}

// PutHold upserts the hold after checking the account exists, so that a
// missing account is model.ErrNotFound on both databases.
func (s *Store) PutHold(ctx context.Context, accountID int64, until, now time.Time) error {
	err := s.tx(ctx, func(c conn) error {
		var id int64
		if err := c.row(ctx, `SELECT id FROM accounts WHERE id = $1`, accountID).Scan(&id); err != nil {
			return err
		}
		_, err := c.exec(ctx, `INSERT INTO legal_holds (account_id, until_at, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (account_id) DO UPDATE SET until_at = excluded.until_at`,
			accountID, micros(until), micros(now))
		return err
	})
	return s.fail(opID("put hold", accountID), err)
}

func (s *Store) ReleaseHold(ctx context.Context, accountID int64) (bool, error) {
	n, err := s.conn().affected(ctx, `DELETE FROM legal_holds WHERE account_id = $1`, accountID)
	return n > 0, s.fail(opID("release hold", accountID), err)
}

func (s *Store) Holds(ctx context.Context) ([]store.Hold, error) {
	rows, err := s.conn().query(ctx, `SELECT account_id, until_at, created_at FROM legal_holds ORDER BY account_id`)
	out, err := collect(rows, err, func(r rowScanner) (store.Hold, error) {
		var h store.Hold
		err := r.Scan(&h.AccountID, timeCol{&h.Until}, timeCol{&h.CreatedAt})
		return h, err
	})
	return out, s.fail("holds", err)
}

func (s *Store) UnderHold(ctx context.Context, accountID int64, now time.Time) (bool, error) {
	var n int
	err := s.conn().row(ctx, `SELECT COUNT(*) FROM legal_holds WHERE account_id = $1 AND until_at > $2`,
		accountID, micros(now)).Scan(&n)
	return n > 0, s.fail(opID("under hold", accountID), err)
}

// ExpiredRemoteStatuses walks statuses_age (local, created_at). Remote
// statuses are kept while a local account interacted with them, while they
// reply to or boost a local status, while a notification refers to them
// (a mention: notifications have their own limit), while they mention or
// were favourited by a held account, and while their author is held or
// the target of an open report (moderators need the evidence).
func (s *Store) ExpiredRemoteStatuses(ctx context.Context, before, now time.Time, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := scanIDs(s.conn().query(ctx, `SELECT s.id FROM statuses s
		WHERE s.local = FALSE AND s.created_at < $1 AND s.visibility <> 'direct'
		AND s.account_id NOT IN `+heldAccounts("$2")+`
		AND s.account_id NOT IN (SELECT target_account_id FROM reports WHERE action_taken_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM favourites f JOIN accounts l ON l.id = f.account_id
			WHERE f.status_id = s.id AND l.domain = '')
		AND NOT EXISTS (SELECT 1 FROM bookmarks b WHERE b.status_id = s.id)
		AND NOT EXISTS (SELECT 1 FROM pins p JOIN accounts l ON l.id = p.account_id
			WHERE p.status_id = s.id AND l.domain = '')
		AND NOT EXISTS (SELECT 1 FROM statuses r WHERE r.reblog_of_id = s.id AND r.local = TRUE)
		AND NOT EXISTS (SELECT 1 FROM statuses r WHERE r.in_reply_to_id = s.id AND r.local = TRUE)
		AND NOT EXISTS (SELECT 1 FROM statuses t WHERE t.local = TRUE
			AND (t.id = s.reblog_of_id OR t.id = s.in_reply_to_id))
		AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.status_id = s.id)
		AND NOT EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = s.id
			AND m.account_id IN `+heldAccounts("$2")+`)
		AND NOT EXISTS (SELECT 1 FROM favourites f WHERE f.status_id = s.id
			AND f.account_id IN `+heldAccounts("$2")+`)
		ORDER BY s.id LIMIT $3`, micros(before), micros(now), limit))
	return ids, s.fail("expired remote statuses", err)
}

func (s *Store) ExpiredDirectStatuses(ctx context.Context, before, now time.Time, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := scanIDs(s.conn().query(ctx, `SELECT s.id FROM statuses s
		WHERE s.visibility = 'direct' AND s.created_at < $1
		AND s.account_id NOT IN `+heldAccounts("$2")+`
		AND NOT EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = s.id
			AND m.account_id IN `+heldAccounts("$2")+`)
		AND s.account_id NOT IN (SELECT target_account_id FROM reports WHERE action_taken_at IS NULL)
		ORDER BY s.id LIMIT $3`, micros(before), micros(now), limit))
	return ids, s.fail("expired direct statuses", err)
}

// ExpiredRemoteAccounts checks every table that refers to an account, so
// that the purge (store.Inbound.DeleteRemoteAccountData) has nothing to
// cascade into that a local user would miss. Suspended accounts are kept:
// purging one would forget the suspension.
func (s *Store) ExpiredRemoteAccounts(ctx context.Context, before, now time.Time, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := scanIDs(s.conn().query(ctx, `SELECT a.id FROM accounts a
		LEFT JOIN remote_actors r ON r.account_id = a.id
		WHERE a.domain <> '' AND a.suspended_at IS NULL AND COALESCE(r.fetched_at, a.updated_at) < $1
		AND a.id NOT IN `+heldAccounts("$2")+`
		AND NOT EXISTS (SELECT 1 FROM follows x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM follows x WHERE x.target_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM blocks x WHERE x.target_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM mutes x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM mutes x WHERE x.target_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM account_notes x WHERE x.target_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.target_account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM statuses x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM favourites x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM status_mentions x WHERE x.account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM notifications x WHERE x.from_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM account_moves x WHERE x.target_id = a.id)
		ORDER BY a.id LIMIT $3`, micros(before), micros(now), limit))
	return ids, s.fail("expired remote accounts", err)
}

func (s *Store) PurgeNotifications(ctx context.Context, before, now time.Time, limit int) (int, error) {
	n, err := s.conn().affected(ctx, `DELETE FROM notifications WHERE id IN (SELECT id FROM notifications
		WHERE created_at < $1 AND account_id NOT IN `+heldAccounts("$2")+` LIMIT $3)`,
		micros(before), micros(now), limit)
	return int(n), s.fail("purge notifications", err)
}

// PurgeTokens compares last_used_day as text: days are YYYY-MM-DD.
func (s *Store) PurgeTokens(ctx context.Context, before, now time.Time, limit int) (int, error) {
	day := before.UTC().Format(time.DateOnly)
	var total int64
	err := s.tx(ctx, func(c conn) error {
		n, err := c.affected(ctx, `DELETE FROM tokens WHERE id IN (SELECT id FROM tokens
			WHERE (account_id IS NULL OR account_id NOT IN `+heldAccounts("$3")+`)
			AND ((last_used_day <> '' AND last_used_day < $1) OR (last_used_day = '' AND created_at < $2)
				OR (revoked_at IS NOT NULL AND revoked_at < $2))
			LIMIT $4)`, day, micros(before), micros(now), limit)
		if err != nil {
			return err
		}
		total = n
		n, err = c.affected(ctx, `DELETE FROM auth_codes WHERE hash IN (SELECT hash FROM auth_codes
			WHERE expires_at < $1 LIMIT $2)`, micros(now), limit-int(total))
		total += n
		return err
	})
	return int(total), s.fail("purge tokens", err)
}

func (s *Store) PurgeClosedReports(ctx context.Context, before, now time.Time, limit int) (int, error) {
	n, err := s.conn().affected(ctx, `DELETE FROM reports WHERE id IN (SELECT id FROM reports
		WHERE action_taken_at IS NOT NULL AND action_taken_at < $1
		AND account_id NOT IN `+heldAccounts("$2")+` AND target_account_id NOT IN `+heldAccounts("$2")+`
		LIMIT $3)`, micros(before), micros(now), limit)
	return int(n), s.fail("purge closed reports", err)
}

func (s *Store) PurgeDeliveryRecords(ctx context.Context, before time.Time, limit int) (int, error) {
	var total int64
	err := s.tx(ctx, func(c conn) error {
		n, err := c.affected(ctx, `DELETE FROM delivery_hosts WHERE host IN (SELECT host FROM delivery_hosts
			WHERE last_attempt < $1 LIMIT $2)`, micros(before), limit)
		if err != nil {
			return err
		}
		total = n
		n, err = c.affected(ctx, `DELETE FROM pending_creates WHERE (status_id, inbox) IN
			(SELECT status_id, inbox FROM pending_creates WHERE created_at < $1 LIMIT $2)`,
			micros(before), limit-int(total))
		total += n
		return err
	})
	return int(total), s.fail("purge delivery records", err)
}

// RecordRetentionRun reads then writes the category's row in one
// transaction (an upsert adding to a column is spelled differently enough
// on the two databases not to be worth it).
func (s *Store) RecordRetentionRun(ctx context.Context, category string, at time.Time, n int) error {
	err := s.tx(ctx, func(c conn) error {
		var total int64
		err := c.row(ctx, `SELECT total_purged FROM retention_runs WHERE category = $1`, category).Scan(&total)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = c.exec(ctx, `INSERT INTO retention_runs (category, last_run_at, last_purged, total_purged)
				VALUES ($1, $2, $3, $3)`, category, micros(at), n)
		case err == nil:
			_, err = c.exec(ctx, `UPDATE retention_runs SET last_run_at = $2, last_purged = $3, total_purged = $4
				WHERE category = $1`, category, micros(at), n, total+int64(n))
		}
		return err
	})
	return s.fail("record retention run", err)
}

func (s *Store) RetentionRuns(ctx context.Context) ([]store.RetentionRun, error) {
	rows, err := s.conn().query(ctx, `SELECT category, last_run_at, last_purged, total_purged
		FROM retention_runs ORDER BY category`)
	out, err := collect(rows, err, func(r rowScanner) (store.RetentionRun, error) {
		var x store.RetentionRun
		err := r.Scan(&x.Category, timeCol{&x.LastRunAt}, &x.LastPurged, &x.TotalPurged)
		return x, err
	})
	return out, s.fail("retention runs", err)
}

var _ store.Retention = (*Store)(nil)

const autoDeleteCols = `account_id, enabled, min_age_days, keep_direct, keep_pinned, keep_polls, keep_media,
	keep_self_fav, keep_self_bookmark, min_favs, min_reblogs, updated_at`

func scanAutoDelete(r rowScanner) (store.AutoDeletePolicy, error) {
	var p store.AutoDeletePolicy
	err := r.Scan(&p.AccountID, &p.Enabled, &p.MinAgeDays, &p.KeepDirect, &p.KeepPinned, &p.KeepPolls, &p.KeepMedia,
		&p.KeepSelfFav, &p.KeepSelfBookmark, &p.MinFavs, &p.MinReblogs, timeCol{&p.UpdatedAt})
	return p, err
}

func (s *Store) PutAutoDeletePolicy(ctx context.Context, p *store.AutoDeletePolicy) error {
	p.UpdatedAt = s.orNow(p.UpdatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO auto_delete_policies (`+autoDeleteCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (account_id) DO UPDATE SET enabled = excluded.enabled, min_age_days = excluded.min_age_days,
		keep_direct = excluded.keep_direct, keep_pinned = excluded.keep_pinned, keep_polls = excluded.keep_polls,
		keep_media = excluded.keep_media, keep_self_fav = excluded.keep_self_fav,
		keep_self_bookmark = excluded.keep_self_bookmark, min_favs = excluded.min_favs,
		min_reblogs = excluded.min_reblogs, updated_at = excluded.updated_at`,
		p.AccountID, p.Enabled, p.MinAgeDays, p.KeepDirect, p.KeepPinned, p.KeepPolls, p.KeepMedia,
		p.KeepSelfFav, p.KeepSelfBookmark, p.MinFavs, p.MinReblogs, micros(p.UpdatedAt))
	return s.fail(opID("put auto-delete policy", p.AccountID), err)
}

func (s *Store) AutoDeletePolicy(ctx context.Context, accountID int64) (*store.AutoDeletePolicy, error) {
	p, err := scanAutoDelete(s.conn().row(ctx, `SELECT `+autoDeleteCols+` FROM auto_delete_policies
		WHERE account_id = $1`, accountID))
	if err != nil {
		return nil, s.fail(opID("auto-delete policy", accountID), err)
	}
	return &p, nil
}

func (s *Store) EnabledAutoDeletePolicies(ctx context.Context, afterID int64, now time.Time, limit int) ([]store.AutoDeletePolicy, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.conn().query(ctx, `SELECT `+autoDeleteCols+` FROM auto_delete_policies
		WHERE enabled = TRUE AND account_id > $1 AND account_id NOT IN `+heldAccounts("$2")+`
		ORDER BY account_id LIMIT $3`, afterID, micros(now), limit)
	out, err := collect(rows, err, scanAutoDelete)
	return out, s.fail("enabled auto-delete policies", err)
}

// ExpiredOwnStatuses passes every option as a parameter, so that one
// statement serves every policy.
func (s *Store) ExpiredOwnStatuses(ctx context.Context, p store.AutoDeletePolicy, before time.Time, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := scanIDs(s.conn().query(ctx, `SELECT s.id FROM statuses s
		WHERE s.account_id = $1 AND s.created_at < $2 AND s.reblog_of_id IS NULL
		AND ($3 = FALSE OR s.visibility <> 'direct')
		AND ($4 = FALSE OR NOT EXISTS (SELECT 1 FROM pins x WHERE x.status_id = s.id AND x.account_id = $1))
		AND ($5 = FALSE OR NOT EXISTS (SELECT 1 FROM favourites x WHERE x.status_id = s.id AND x.account_id = $1))
		AND ($6 = FALSE OR NOT EXISTS (SELECT 1 FROM bookmarks x WHERE x.status_id = s.id AND x.account_id = $1))
		AND ($7 = 0 OR s.favourites_count < $7)
		AND ($8 = 0 OR s.reblogs_count < $8)
		ORDER BY s.id LIMIT $9`, p.AccountID, micros(before), p.KeepDirect, p.KeepPinned, p.KeepSelfFav,
		p.KeepSelfBookmark, p.MinFavs, p.MinReblogs, limit))
	return ids, s.fail(opID("expired own statuses", p.AccountID), err)
}
