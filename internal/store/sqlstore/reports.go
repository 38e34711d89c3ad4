package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Reports. The comment is sealed under the reporter's key (see
// store.Report); a comment whose key is gone reads as "" with
// CommentShredded set, so that moderators still see who reported whom
// and which statuses: those are ids in clear, not the reporter's text.

const reportCols = `id, account_id, target_account_id, status_ids, rule_ids, comment, category, forwarded, uri,
	action_taken_at, action_taken_by_account_id, created_at, updated_at`

func (s *Store) scanReport(ctx context.Context, sc rowScanner) (*store.Report, error) {
	var r store.Report
	var statuses, rules string
	var comment []byte
	err := sc.Scan(&r.ID, &r.AccountID, &r.TargetAccountID, &statuses, &rules, &comment, &r.Category, &r.Forwarded,
		&r.URI, nullTimeCol{&r.ActionTakenAt}, idCol{&r.ActionTakenByID}, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(statuses), &r.StatusIDs); err != nil {
		return nil, fmt.Errorf("decode reports.status_ids %d: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(rules), &r.RuleIDs); err != nil {
		return nil, fmt.Errorf("decode reports.rule_ids %d: %w", r.ID, err)
	}
	c := s.cipher(ctx, r.AccountID, "reports", r.ID)
	r.Comment = c.openString("comment", comment)
	if shredded(c.err) {
		r.Comment, r.CommentShredded, c.err = "", true, nil
	}
	return &r, c.err
}

// idList encodes ids as a JSON array, [] for none.
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids) // []int64 always encodes
	return string(b)
}

func (s *Store) CreateReports(ctx context.Context, rs []*store.Report) error {
	for _, r := range rs {
		if !r.Category.Valid() {
			return s.fail("create reports", model.Invalid("unknown report category"))
		}
	}
	now := s.now().UTC()
	err := s.tx(ctx, func(c conn) error {
		for _, r := range rs {
			if err := s.insertReport(ctx, c, r, now); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("create reports", err)
}

func (s *Store) insertReport(ctx context.Context, c conn, r *store.Report, now time.Time) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.ID = newID(r.ID, r.CreatedAt)
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	ci := s.cipher(ctx, r.AccountID, "reports", r.ID).in(vault.ClassReports)
	comment := ci.sealString("comment", r.Comment)
	if ci.err != nil {
		return ci.err
	}
	_, err := c.exec(ctx, `INSERT INTO reports (id, account_id, target_account_id, status_ids, rule_ids, comment,
		category, forwarded, uri, action_taken_at, action_taken_by_account_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.ID, r.AccountID, r.TargetAccountID, idList(r.StatusIDs), idList(r.RuleIDs), nullBytes(comment),
		string(r.Category), r.Forwarded, r.URI, nullMicros(r.ActionTakenAt), nullID(r.ActionTakenByID),
		micros(r.CreatedAt), micros(r.UpdatedAt))
	return err
}

func (s *Store) Report(ctx context.Context, id int64) (*store.Report, error) {
	r, err := s.scanReport(ctx, s.conn().row(ctx, `SELECT `+reportCols+` FROM reports WHERE id = $1`, id))
	return r, s.fail(opID("report", id), err)
}

func (s *Store) ReportsByURI(ctx context.Context, uri string) ([]*store.Report, error) {
	if uri == "" {
		return nil, nil
	}
	rows, err := s.conn().query(ctx, `SELECT `+reportCols+` FROM reports WHERE uri = $1 AND uri <> '' ORDER BY id`, uri)
	out, err := collect(rows, err, func(r rowScanner) (*store.Report, error) { return s.scanReport(ctx, r) })
	return out, s.fail("reports by uri", err)
}

func (s *Store) Reports(ctx context.Context, f store.ReportFilter, p store.Page) ([]*store.Report, error) {
	var a args
	where := " AND action_taken_at IS NULL"
	if f.Resolved {
		where = " AND action_taken_at IS NOT NULL"
	}
	if f.AccountID != 0 {
		where += " AND account_id = " + a.add(f.AccountID)
	}
	if f.TargetAccountID != 0 {
		where += " AND target_account_id = " + a.add(f.TargetAccountID)
	}
	bounds, tail, rev := domainPaging(&a, "id", p) // Mastodon's admin lists: 100 by default, at most 200
	rows, err := s.conn().query(ctx, `SELECT `+reportCols+` FROM reports WHERE TRUE`+where+bounds+tail, a...)
	out, err := collect(rows, err, func(r rowScanner) (*store.Report, error) { return s.scanReport(ctx, r) })
	if rev {
		reverse(out)
	}
	return out, s.fail("reports", err)
}

func (s *Store) ResolveReport(ctx context.Context, id, byID int64, at *time.Time) error {
	if at == nil {
		byID = 0
	}
	n, err := s.conn().affected(ctx, `UPDATE reports SET action_taken_at = $2, action_taken_by_account_id = $3,
		updated_at = $4 WHERE id = $1`, id, nullMicros(at), nullID(byID), micros(s.now()))
	return s.fail(opID("resolve report", id), noRow(n, err))
}
