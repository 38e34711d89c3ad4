package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Markers returns accountID's markers for the named timelines, or all of
// them when timelines is empty.
func (s *Store) Markers(ctx context.Context, accountID int64, timelines []string) ([]*model.Marker, error) {
	a := args{accountID}
	q := `SELECT account_id, timeline, last_read_id, version, updated_at FROM markers WHERE account_id = $1`
	if len(timelines) > 0 {
		ph := ""
		for i, t := range timelines {
			if i > 0 {
				ph += ", "
			}
			ph += a.add(t)
		}
		q += ` AND timeline IN (` + ph + `)`
	}
	rows, err := s.conn().query(ctx, q+` ORDER BY timeline`, a...)
	out, err := collect(rows, err, func(r rowScanner) (*model.Marker, error) {
		var m model.Marker
		err := r.Scan(&m.AccountID, &m.Timeline, &m.LastReadID, &m.Version, timeCol{&m.UpdatedAt})
		return &m, err
	})
	return out, s.fail("markers", err)
}

// SetMarker saves m; a new marker has version 1 and each save adds one. m
// gets the stored version.
func (s *Store) SetMarker(ctx context.Context, m *model.Marker) error {
	m.UpdatedAt = s.orNow(m.UpdatedAt)
	err := s.conn().row(ctx, `INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at)
		VALUES ($1, $2, $3, 1, $4) ON CONFLICT (account_id, timeline) DO UPDATE SET
		last_read_id = excluded.last_read_id, version = markers.version + 1, updated_at = excluded.updated_at
		RETURNING version`, m.AccountID, m.Timeline, m.LastReadID, micros(m.UpdatedAt)).Scan(&m.Version)
	return s.fail("set marker", err)
}

// DefaultPreferences are what an account that never saved any gets.
func DefaultPreferences() *model.Preferences {
	return &model.Preferences{PostingVisibility: model.VisibilityPublic, ExpandMedia: "default"}
}

// Preferences returns DefaultPreferences for an account that saved none.
func (s *Store) Preferences(ctx context.Context, accountID int64) (*model.Preferences, error) {
	var data string
	err := s.conn().row(ctx, `SELECT data FROM preferences WHERE account_id = $1`, accountID).Scan(&data)
	if err != nil {
		if err = s.fail("preferences", err); isNotFound(err) {
			return DefaultPreferences(), nil
		}
		return nil, err
	}
	p := DefaultPreferences()
	if err := json.Unmarshal([]byte(data), p); err != nil {
		return nil, s.fail("preferences", err)
	}
	return p, nil
}

func (s *Store) SetPreferences(ctx context.Context, accountID int64, p *model.Preferences) error {
	b, err := json.Marshal(p)
	if err != nil {
		return s.fail("set preferences", err)
	}
	_, err = s.conn().exec(ctx, `INSERT INTO preferences (account_id, data) VALUES ($1, $2)
		ON CONFLICT (account_id) DO UPDATE SET data = excluded.data`, accountID, string(b))
	return s.fail("set preferences", err)
}

// CountLocalStatuses sums local accounts' statuses_count, as Mastodon does:
// boosts count, direct messages do not.
func (s *Store) CountLocalStatuses(ctx context.Context) (int, error) {
	var n int
	err := s.conn().row(ctx, `SELECT COALESCE(SUM(statuses_count), 0) FROM accounts WHERE domain = ''`).Scan(&n)
	return n, s.fail("count local statuses", err)
}

const week = 7 * 24 * time.Hour

// Activity counts, for each week from since: local statuses (boosts
// included), registrations, and logins. Logins are the accounts whose last
// sign-in day or a token's last-used day falls in the week; Roost keeps no
// finer record, so an account active in several weeks counts only in its
// latest.
func (s *Store) Activity(ctx context.Context, since time.Time) ([]store.WeekActivity, error) {
	now := s.now()
	var weeks []store.WeekActivity
	for t := since; !t.After(now); t = t.Add(week) {
		weeks = append(weeks, store.WeekActivity{Week: t.UTC()})
	}
	if len(weeks) == 0 {
		return nil, nil
	}
	from, size := micros(since), week.Microseconds()
	err := s.countWeeks(ctx, `SELECT (created_at - $1) / $2, COUNT(*) FROM statuses
		WHERE local = TRUE AND id >= $3 AND created_at >= $1 GROUP BY 1`, args{from, size, model.IDAt(since)}, weeks,
		func(w *store.WeekActivity, n int) { w.Statuses = n })
	if err == nil {
		err = s.countWeeks(ctx, `SELECT (created_at - $1) / $2, COUNT(*) FROM users
			WHERE created_at >= $1 GROUP BY 1`, args{from, size}, weeks,
			func(w *store.WeekActivity, n int) { w.Registrations = n })
	}
	if err == nil {
		err = s.countLogins(ctx, since, weeks)
	}
	if err != nil {
		return nil, s.fail("activity", err)
	}
	reverse(weeks)
	return weeks, nil
}

// countWeeks runs a query that yields (week number, count) rows and sets
// the counts.
func (s *Store) countWeeks(ctx context.Context, q string, a args, weeks []store.WeekActivity, set func(*store.WeekActivity, int)) error {
	rows, err := s.conn().query(ctx, q, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		if i >= 0 && i < int64(len(weeks)) {
			set(&weeks[i], n)
		}
	}
	return rows.Err()
}

func (s *Store) countLogins(ctx context.Context, since time.Time, weeks []store.WeekActivity) error {
	day := since.UTC().Format(time.DateOnly)
	rows, err := s.conn().query(ctx, `SELECT account_id, last_sign_in_day FROM users WHERE last_sign_in_day >= $1
		UNION SELECT account_id, last_used_day FROM tokens WHERE account_id IS NOT NULL AND last_used_day >= $1`, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[[2]int64]bool{}
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return err
		}
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		i := int64(t.Sub(since.UTC().Truncate(24*time.Hour)) / week)
		if i >= 0 && i < int64(len(weeks)) && !seen[[2]int64{i, id}] {
			seen[[2]int64{i, id}] = true
			weeks[i].Logins++
		}
	}
	return rows.Err()
}

// Peers lists known remote domains in order.
func (s *Store) Peers(ctx context.Context) ([]string, error) {
	rows, err := s.conn().query(ctx, `SELECT DISTINCT domain FROM accounts WHERE domain <> '' ORDER BY domain`)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var d string
		return d, r.Scan(&d)
	})
	return out, s.fail("peers", err)
}
