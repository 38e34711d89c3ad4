package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

var _ store.AccountReferencer = (*Store)(nil)

// DeletionInboxes reads the accounts the deleted one dealt with, then
// their actors' inboxes, one per shared inbox.
func (s *Store) DeletionInboxes(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := s.conn().query(ctx, `SELECT DISTINCT CASE WHEN r.shared_inbox <> '' THEN r.shared_inbox ELSE r.inbox END AS box
		FROM remote_actors r JOIN accounts a ON a.id = r.account_id
		WHERE r.inbox <> '' AND a.suspended_at IS NULL AND a.domain <> '' AND r.account_id IN (
			SELECT account_id FROM follows WHERE target_id = $1
			UNION SELECT target_id FROM follows WHERE account_id = $1
			UNION SELECT s.account_id FROM favourites f JOIN statuses s ON s.id = f.status_id WHERE f.account_id = $1
			UNION SELECT o.account_id FROM statuses b JOIN statuses o ON o.id = b.reblog_of_id WHERE b.account_id = $1
			UNION SELECT in_reply_to_account_id FROM statuses WHERE account_id = $1 AND in_reply_to_account_id IS NOT NULL
			UNION SELECT m.account_id FROM status_mentions m JOIN statuses s ON s.id = m.status_id WHERE s.account_id = $1)
		ORDER BY box`, accountID)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var box string
		err := r.Scan(&box)
		return box, err
	})
	return out, s.fail(opID("deletion inboxes", accountID), err)
}

// RecordAccountDeletion replaces any older record of the username (a
// reservation that lapsed and a new account of that name since).
func (s *Store) RecordAccountDeletion(ctx context.Context, d *store.DeletedAccount, inboxes []string) error {
	if d.Username == "" || d.AccountID == 0 {
		return s.fail("record account deletion", model.Invalid("deleted account needs a username and an id"))
	}
	err := s.tx(ctx, func(c conn) error {
		lower := strings.ToLower(d.Username)
		if _, err := c.exec(ctx, `DELETE FROM deleted_accounts WHERE username_lower = $1 OR account_id = $2`, lower, d.AccountID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO deleted_accounts (username_lower, username, account_id, deleted_at, reserved_until, sign_until)
			VALUES ($1, $2, $3, $4, $5, $6)`, lower, d.Username, d.AccountID,
			micros(d.DeletedAt), micros(d.ReservedUntil), micros(d.SignUntil)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM deleted_account_inboxes WHERE account_id = $1`, d.AccountID); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, box := range inboxes {
			if box == "" || seen[box] {
				continue
			}
			seen[box] = true
			if _, err := c.exec(ctx, `INSERT INTO deleted_account_inboxes (account_id, inbox) VALUES ($1, $2)`, d.AccountID, box); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail(opID("record account deletion", d.AccountID), err)
}

// DeleteLocalAccountData undoes, one counted step at a time, what the
// account added to other rows' counters, clears what names it without a
// cascading foreign key, then deletes the account row; ON DELETE CASCADE
// removes the rest.
func (s *Store) DeleteLocalAccountData(ctx context.Context, accountID int64) error {
	// The domain is in clear: this reads it after the shred.
	var domain string
	err := s.conn().row(ctx, `SELECT domain FROM accounts WHERE id = $1`, accountID).Scan(&domain)
	if err != nil {
		return s.fail(opID("delete local account data", accountID), err)
	}
	if domain != "" {
		return s.fail("delete local account data", model.Invalid("not a local account"))
	}
	if _, err := s.conn().exec(ctx, `DELETE FROM pending_creates
		WHERE status_id IN (SELECT id FROM statuses WHERE account_id = $1)`, accountID); err != nil {
		return s.fail("delete local account data", err)
	}
	if err := s.undoAccountCounts(ctx, accountID); err != nil {
		return s.fail("delete local account data", err)
	}
	err = s.tx(ctx, func(c conn) error {
		// Replies to it stay with their authors, but no longer say whom
		// they answered; apps it owns go with every token of theirs.
		for _, q := range []string{
			`UPDATE statuses SET in_reply_to_account_id = NULL WHERE in_reply_to_account_id = $1`,
			`DELETE FROM apps WHERE owner_id = $1`,
		} {
			if _, err := c.exec(ctx, q, accountID); err != nil {
				return err
			}
		}
		n, err := c.affected(ctx, `DELETE FROM accounts WHERE id = $1`, accountID)
		return noRow(n, err)
	})
	return s.fail(opID("delete local account", accountID), err)
}

const deletedCols = `username, account_id, deleted_at, reserved_until, sign_until`

func scanDeleted(r rowScanner) (*store.DeletedAccount, error) {
	d := &store.DeletedAccount{}
	var del, res, sign int64
	if err := r.Scan(&d.Username, idCol{&d.AccountID}, &del, &res, &sign); err != nil {
		return nil, err
	}
	d.DeletedAt, d.ReservedUntil, d.SignUntil = fromMicros(del), fromMicros(res), fromMicros(sign)
	return d, nil
}

// DeletedAccount reads the record by its kept account id.
func (s *Store) DeletedAccount(ctx context.Context, accountID int64) (*store.DeletedAccount, error) {
	d, err := scanDeleted(s.conn().row(ctx, `SELECT `+deletedCols+` FROM deleted_accounts WHERE account_id = $1`, accountID))
	return d, s.fail(opID("deleted account", accountID), err)
}

// DeletedUsername reads the record by its lower-cased username.
func (s *Store) DeletedUsername(ctx context.Context, username string) (*store.DeletedAccount, error) {
	d, err := scanDeleted(s.conn().row(ctx, `SELECT `+deletedCols+` FROM deleted_accounts WHERE username_lower = $1`,
		strings.ToLower(username)))
	return d, s.fail("deleted username", err)
}

// DeletionInboxesLeft reads the remaining inboxes.
func (s *Store) DeletionInboxesLeft(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := s.conn().query(ctx, `SELECT inbox FROM deleted_account_inboxes WHERE account_id = $1 ORDER BY inbox`, accountID)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var box string
		err := r.Scan(&box)
		return box, err
	})
	return out, s.fail(opID("deletion inboxes left", accountID), err)
}

// DeletionDelivered deletes one remaining inbox and counts the others.
func (s *Store) DeletionDelivered(ctx context.Context, accountID int64, inbox string) (int, error) {
	var left int
	err := s.tx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `DELETE FROM deleted_account_inboxes WHERE account_id = $1 AND inbox = $2`, accountID, inbox); err != nil {
			return err
		}
		return c.row(ctx, `SELECT COUNT(*) FROM deleted_account_inboxes WHERE account_id = $1`, accountID).Scan(&left)
	})
	return left, s.fail(opID("deletion delivered", accountID), err)
}

// DeletionsToFinish lists the records with kept keys that are done with.
func (s *Store) DeletionsToFinish(ctx context.Context, now time.Time) ([]int64, error) {
	ids, err := scanIDs(s.conn().query(ctx, `SELECT d.account_id FROM deleted_accounts d
		WHERE d.account_id IS NOT NULL AND (d.sign_until <= $1 OR NOT EXISTS
			(SELECT 1 FROM deleted_account_inboxes i WHERE i.account_id = d.account_id))
		ORDER BY d.account_id`, micros(now)))
	return ids, s.fail("deletions to finish", err)
}

// FinishAccountDeletion clears the record's account id and inboxes.
func (s *Store) FinishAccountDeletion(ctx context.Context, accountID int64) error {
	err := s.tx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `DELETE FROM deleted_account_inboxes WHERE account_id = $1`, accountID); err != nil {
			return err
		}
		_, err := c.exec(ctx, `UPDATE deleted_accounts SET account_id = NULL WHERE account_id = $1`, accountID)
		return err
	})
	return s.fail(opID("finish account deletion", accountID), err)
}

// FreeUsernames deletes lapsed reservations whose keys are gone.
func (s *Store) FreeUsernames(ctx context.Context, now time.Time) (int, error) {
	n, err := s.conn().affected(ctx, `DELETE FROM deleted_accounts WHERE reserved_until <= $1 AND account_id IS NULL`, micros(now))
	return int(n), s.fail("free usernames", err)
}

// AccountReferences counts, in every account column the migrations
// declare, the rows that name accountID.
func (s *Store) AccountReferences(ctx context.Context, accountID int64) (map[string]int64, error) {
	cols, err := accountColumns()
	if err != nil {
		return nil, s.fail("account references", err)
	}
	out := map[string]int64{}
	for _, tc := range cols {
		table, col, _ := strings.Cut(tc, ".")
		var n int64
		err := s.conn().row(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+col+` = $1`, accountID).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, s.fail("account references "+tc, err)
		}
		if n > 0 {
			out[tc] = n
		}
	}
	return out, nil
}

var (
	accountColsOnce sync.Once
	accountRefCols  []string
	accountColsErr  error

	createTableRe = regexp.MustCompile(`(?i)^CREATE TABLE (?:IF NOT EXISTS )?(\w+)`)
	addColumnRe   = regexp.MustCompile(`(?i)^ALTER TABLE (\w+) ADD COLUMN (?:IF NOT EXISTS )?(\w+)(.*)`)
	columnRe      = regexp.MustCompile(`^\s+(\w+)\s+(.*)`)
)

// accountColumns lists "table.column" for every column the migrations
// declare that holds account ids: those that reference accounts, and
// those named account_id, owner_id, from_id or *_account_id. Reading the
// migrations, not a list kept by hand, keeps the proof of deletion
// covering the tables added later.
func accountColumns() ([]string, error) {
	accountColsOnce.Do(func() {
		ms, err := migrations(&Dialect{})
		if err != nil {
			accountColsErr = err
			return
		}
		seen := map[string]bool{}
		for _, m := range ms {
			for _, tc := range scriptAccountColumns(m.script) {
				seen[tc] = true
			}
		}
		for tc := range seen {
			accountRefCols = append(accountRefCols, tc)
		}
		sort.Strings(accountRefCols)
	})
	return accountRefCols, accountColsErr
}

// scriptAccountColumns finds the account columns of one migration script.
func scriptAccountColumns(script string) []string {
	var out []string
	table := ""
	for _, line := range strings.Split(script, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		if m := createTableRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			table = strings.ToLower(m[1])
			continue
		}
		if m := addColumnRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if isAccountColumn(m[2], m[3]) {
				out = append(out, strings.ToLower(m[1])+"."+strings.ToLower(m[2]))
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), ")") {
			table = ""
			continue
		}
		if m := columnRe.FindStringSubmatch(line); table != "" && m != nil && isAccountColumn(m[1], m[2]) {
			out = append(out, table+"."+strings.ToLower(m[1]))
		}
	}
	return out
}

func isAccountColumn(name, def string) bool {
	name = strings.ToLower(name)
	switch {
	case strings.EqualFold(name, "primary"), strings.EqualFold(name, "unique"):
		return false
	case strings.Contains(strings.ToLower(def), "references accounts"):
		return true
	}
	return name == "account_id" || name == "owner_id" || name == "from_id" || strings.HasSuffix(name, "_account_id")
}

// LocalAccountIDs reads ids and usernames only.
func (s *Store) LocalAccountIDs(ctx context.Context, after int64, limit int) ([]store.Keyed[string], error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.conn().query(ctx, `SELECT id, username FROM accounts WHERE domain = '' AND id > $1 ORDER BY id LIMIT $2`, after, limit)
	out, err := collect(rows, err, func(r rowScanner) (store.Keyed[string], error) {
		var k store.Keyed[string]
		err := r.Scan(&k.Key, &k.Value)
		return k, err
	})
	return out, s.fail("local account ids", err)
}
