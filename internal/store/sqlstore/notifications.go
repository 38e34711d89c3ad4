package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const notificationCols = `n.id, n.account_id, n.from_id, n.type, n.status_id, n.created_at, n.dismissed_at`

func scanNotification(sc rowScanner) (*model.Notification, error) {
	var n model.Notification
	err := sc.Scan(&n.ID, &n.AccountID, &n.FromID, &n.Type, idCol{&n.StatusID},
		timeCol{&n.CreatedAt}, nullTimeCol{&n.DismissedAt})
	return &n, err
}

func (s *Store) CreateNotification(ctx context.Context, n *model.Notification) error {
	return s.fail("create notification", s.insertNotifications(ctx, s.conn(), []*model.Notification{n}))
}

// CreateNotifications inserts ns in one transaction, a few hundred rows to
// a statement.
func (s *Store) CreateNotifications(ctx context.Context, ns []*model.Notification) error {
	switch len(ns) {
	case 0:
		return nil
	case 1: // one statement is a transaction already
		return s.CreateNotification(ctx, ns[0])
	}
	err := s.tx(ctx, func(c conn) error {
		for len(ns) > 0 {
			part := ns[:min(len(ns), notificationBatch)]
			ns = ns[len(part):]
			if err := s.insertNotifications(ctx, c, part); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("create notifications", err)
}

// notificationBatch is how many notifications one INSERT writes: 7
// parameters each stay well under every database's limit.
const notificationBatch = 200

func (s *Store) insertNotifications(ctx context.Context, c conn, ns []*model.Notification) error {
	var a args
	var b strings.Builder
	b.WriteString(`INSERT INTO notifications (id, account_id, from_id, type, status_id, created_at, dismissed_at) VALUES `)
	for i, n := range ns {
		n.CreatedAt = s.orNow(n.CreatedAt)
		n.ID = newID(n.ID, n.CreatedAt)
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%s, %s, %s, %s, %s, %s, %s)", a.add(n.ID), a.add(n.AccountID), a.add(n.FromID),
			a.add(string(n.Type)), a.add(nullID(n.StatusID)), a.add(micros(n.CreatedAt)), a.add(nullMicros(n.DismissedAt)))
	}
	_, err := c.exec(ctx, b.String(), a...)
	return err
}

// NotificationRecipients reads the recipients' accounts with the blocks
// either way and the recipients' unexpired mutes of fromID.
func (s *Store) NotificationRecipients(ctx context.Context, fromID int64, ids []int64) (map[int64]store.NotificationRecipient, error) {
	out := make(map[int64]store.NotificationRecipient, len(ids))
	for _, part := range chunks(ids) {
		a := args{fromID, micros(s.now())}
		q := `SELECT a.id, a.domain = '', a.suspended_at IS NOT NULL,
				EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = a.id AND b.target_id = $1)
				OR EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = $1 AND b.target_id = a.id),
				m.notifications
			FROM accounts a LEFT JOIN mutes m ON m.account_id = a.id AND m.target_id = $1
				AND (m.expires_at IS NULL OR m.expires_at > $2)
			WHERE a.id IN (` + a.list(part) + `)`
		rows, err := s.conn().query(ctx, q, a...)
		list, err := collect(rows, err, func(r rowScanner) (store.NotificationRecipient, error) {
			var n store.NotificationRecipient
			var mute sql.NullBool
			err := r.Scan(&n.ID, &n.Local, &n.Suspended, &n.Blocked, &mute)
			n.Muting, n.MutingNotifications = mute.Valid, mute.Bool
			return n, err
		})
		if err != nil {
			return nil, s.fail("notification recipients", err)
		}
		for _, n := range list {
			out[n.ID] = n
		}
	}
	return out, nil
}

// typeList adds the types and returns their placeholders.
func typeList(a *args, types []model.NotificationType) string {
	ph := make([]string, len(types))
	for i, t := range types {
		ph[i] = a.add(string(t))
	}
	return strings.Join(ph, ", ")
}

// Notifications leaves out notifications from accounts the recipient blocks
// or mutes with notifications (while the mute lasts), and from accounts on
// domains the recipient blocks.
func (s *Store) Notifications(ctx context.Context, accountID int64, f store.NotificationFilter, p store.Page) ([]*model.Notification, error) {
	a := args{accountID, micros(s.now())}
	where := `n.account_id = $1 AND n.dismissed_at IS NULL
		AND n.from_id NOT IN (SELECT target_id FROM blocks WHERE account_id = $1)
		AND n.from_id NOT IN (` + domainBlockedBy + `)
		AND n.from_id NOT IN (SELECT target_id FROM mutes WHERE account_id = $1 AND notifications = TRUE
			AND (expires_at IS NULL OR expires_at > $2))`
	if len(f.Types) > 0 {
		where += ` AND n.type IN (` + typeList(&a, f.Types) + `)`
	}
	if len(f.ExcludeTypes) > 0 {
		where += ` AND n.type NOT IN (` + typeList(&a, f.ExcludeTypes) + `)`
	}
	if f.FromID != 0 {
		where += ` AND n.from_id = ` + a.add(f.FromID)
	}
	bounds, tail, rev := paging(&a, "n.id", p)
	rows, err := s.conn().query(ctx, `SELECT `+notificationCols+` FROM notifications n WHERE `+where+bounds+tail, a...)
	out, err := collect(rows, err, scanNotification)
	if rev {
		reverse(out)
	}
	return out, s.fail("notifications", err)
}

// Notification returns one undismissed notification of accountID.
func (s *Store) Notification(ctx context.Context, accountID, id int64) (*model.Notification, error) {
	r := s.conn().row(ctx, `SELECT `+notificationCols+` FROM notifications n
		WHERE n.id = $1 AND n.account_id = $2 AND n.dismissed_at IS NULL`, id, accountID)
	n, err := scanNotification(r)
	if err != nil {
		return nil, s.fail(opID("notification", id), err)
	}
	return n, nil
}

// DismissNotification fails with model.ErrNotFound for a notification that
// is not accountID's or already dismissed.
func (s *Store) DismissNotification(ctx context.Context, accountID, id int64) error {
	n, err := s.conn().affected(ctx, `UPDATE notifications SET dismissed_at = $3
		WHERE id = $1 AND account_id = $2 AND dismissed_at IS NULL`, id, accountID, micros(s.now()))
	return s.fail(opID("dismiss notification", id), noRow(n, err))
}

// ClearNotifications deletes every notification of accountID.
func (s *Store) ClearNotifications(ctx context.Context, accountID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM notifications WHERE account_id = $1`, accountID)
	return s.fail("clear notifications", err)
}
