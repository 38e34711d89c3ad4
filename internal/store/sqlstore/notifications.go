package sqlstore

import (
	"context"
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
	n.CreatedAt = s.orNow(n.CreatedAt)
	n.ID = newID(n.ID, n.CreatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO notifications (id, account_id, from_id, type, status_id, created_at, dismissed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		n.ID, n.AccountID, n.FromID, string(n.Type), nullID(n.StatusID), micros(n.CreatedAt), nullMicros(n.DismissedAt))
	return s.fail("create notification", err)
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
// or mutes with notifications (while the mute lasts).
func (s *Store) Notifications(ctx context.Context, accountID int64, f store.NotificationFilter, p store.Page) ([]*model.Notification, error) {
	a := args{accountID, micros(s.now())}
	where := `n.account_id = $1 AND n.dismissed_at IS NULL
		AND n.from_id NOT IN (SELECT target_id FROM blocks WHERE account_id = $1)
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
