package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// NotificationView is a notification as its recipient sees it: who did it
// and the status it is about (nil for those about no status).
type NotificationView struct {
	Notification *model.Notification
	Account      *model.Account
	Status       *StatusView
}

// notice is one notification to send: to whom, of what type.
type notice struct {
	to int64
	t  model.NotificationType
}

// notifyAbout tells recipientID that fromID did something of type t about
// status statusID (see send).
func (s *Service) notifyAbout(ctx context.Context, recipientID, fromID int64, t model.NotificationType, statusID int64) error {
	return s.send(ctx, fromID, statusID, []notice{{recipientID, t}})
}

// send tells each notice's recipient that fromID did something about status
// statusID (0 for none), unless that would tell nobody anything (one's own
// action, a remote or suspended recipient) or the recipient keeps fromID
// away: a block either way, a mute, or (fromID being on a silenced
// domain) not following fromID. It reads every recipient in one go
// and stores the notifications together.
func (s *Service) send(ctx context.Context, fromID, statusID int64, notices []notice) error {
	notices, err := s.dropSilencedNotices(ctx, fromID, notices)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(notices))
	for _, n := range notices {
		if n.to != fromID {
			ids = append(ids, n.to)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rcpts, err := s.store.NotificationRecipients(ctx, fromID, uniqueIDs(ids))
	if err != nil {
		return fmt.Errorf("core: notification recipients: %w", err)
	}
	now := s.now()
	ns := make([]*model.Notification, 0, len(ids))
	for _, n := range notices {
		if r, ok := rcpts[n.to]; ok && wantsNotice(r, n.t) { // fromID is not among them
			ns = append(ns, &model.Notification{ID: model.NewID(now), AccountID: n.to, FromID: fromID,
				Type: n.t, StatusID: statusID, CreatedAt: now})
		}
	}
	if err := s.store.CreateNotifications(ctx, ns); err != nil {
		return fmt.Errorf("core: notify: %w", err)
	}
	return nil
}

// wantsNotice reports whether r wants notifications of type t from the
// sender. A plain mute silences mentions and new statuses; only a mute with
// notifications silences the rest, as in Mastodon.
func wantsNotice(r store.NotificationRecipient, t model.NotificationType) bool {
	if !r.Local || r.Suspended || r.Blocked || r.MutingNotifications {
		return false
	}
	anyMute := t == model.NotifyMention || t == model.NotifyStatus
	return !(anyMute && r.Muting)
}

// withdrawNotification dismisses the notification an undone action made
// (a favourite taken back), looking among the recipient's recent ones.
func (s *Service) withdrawNotification(ctx context.Context, recipientID, fromID int64, t model.NotificationType, statusID int64) error {
	f := store.NotificationFilter{Types: []model.NotificationType{t}, FromID: fromID}
	ns, err := s.store.Notifications(ctx, recipientID, f, store.Page{Limit: 40})
	if err != nil {
		return fmt.Errorf("core: find notification: %w", err)
	}
	for _, n := range ns {
		if n.StatusID == statusID {
			if err := s.store.DismissNotification(ctx, recipientID, n.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
				return fmt.Errorf("core: withdraw notification: %w", err)
			}
		}
	}
	return nil
}

// notifyPosted sends the notifications a new or edited status makes:
// mentions to the accounts it newly mentions (all of them when old is nil)
// and, for a new status, "status" to followers who asked to be told. They
// go out together.
func (s *Service) notifyPosted(ctx context.Context, st *model.Status, old []model.Mention) error {
	var notices []notice
	for _, m := range st.Mentions {
		if old == nil || !mentions(&model.Status{Mentions: old}, m.AccountID) {
			notices = append(notices, notice{m.AccountID, model.NotifyMention})
		}
	}
	if old == nil {
		fs, err := s.followerNotices(ctx, st)
		if err != nil {
			return err
		}
		notices = append(notices, fs...)
	}
	return s.send(ctx, st.AccountID, st.ID, notices)
}

// followerNotices are the "status" notifications for the followers who
// follow st's author with notify on, as Mastodon sends them: not for direct
// statuses, boosts, or replies to someone else; and not to those mentioned
// (they get a mention).
func (s *Service) followerNotices(ctx context.Context, st *model.Status) ([]notice, error) {
	if st.Visibility == model.VisibilityDirect || st.ReblogOfID != 0 ||
		(st.InReplyToID != 0 && st.InReplyToAccountID != st.AccountID) {
		return nil, nil
	}
	ids, err := s.store.NotifyingFollowerIDs(ctx, st.AccountID)
	if err != nil {
		return nil, fmt.Errorf("core: notifying followers: %w", err)
	}
	out := make([]notice, 0, len(ids))
	for _, id := range ids {
		if !mentions(st, id) {
			out = append(out, notice{id, model.NotifyStatus})
		}
	}
	return out, nil
}

// notifyEdited tells those who boosted st that it changed, a page of
// boosters at a time.
func (s *Service) notifyEdited(ctx context.Context, st *model.Status) error {
	p := store.Page{Limit: 80}
	for {
		rows, err := s.store.RebloggedBy(ctx, st.ID, p)
		if err != nil {
			return fmt.Errorf("core: boosters of %d: %w", st.ID, err)
		}
		notices := make([]notice, len(rows))
		for i, r := range rows {
			notices[i] = notice{r.Value.ID, model.NotifyUpdate}
		}
		if err := s.send(ctx, st.AccountID, st.ID, notices); err != nil {
			return err
		}
		if len(rows) < p.Limit {
			return nil
		}
		p.MaxID = rows[len(rows)-1].Key
	}
}

// Notifications lists viewerID's notifications. Those about a status the
// viewer may no longer see, or from an account gone or suspended, are left
// out.
func (s *Service) Notifications(ctx context.Context, viewerID int64, f store.NotificationFilter, p store.Page) (*Listing[*NotificationView], error) {
	f, ok := sensibleTypes(f)
	if !ok {
		return &Listing[*NotificationView]{Items: []*NotificationView{}}, nil
	}
	ns, err := s.store.Notifications(ctx, viewerID, f, p)
	if err != nil {
		return nil, fmt.Errorf("core: notifications: %w", err)
	}
	items, err := s.notificationViews(ctx, viewerID, ns)
	if err != nil {
		return nil, err
	}
	l := &Listing[*NotificationView]{Items: items}
	if len(ns) > 0 {
		l.Newest, l.Oldest = ns[0].ID, ns[len(ns)-1].ID
	}
	return l, nil
}

// sensibleTypes drops the types no notification can have because they hold
// a NUL byte (which the database could not even compare). ok is false when
// only such types were asked for: nothing matches.
func sensibleTypes(f store.NotificationFilter) (store.NotificationFilter, bool) {
	keep := func(ts []model.NotificationType) []model.NotificationType {
		var out []model.NotificationType
		for _, t := range ts {
			if !hasNUL(string(t)) {
				out = append(out, t)
			}
		}
		return out
	}
	asked := len(f.Types) > 0
	f.Types, f.ExcludeTypes = keep(f.Types), keep(f.ExcludeTypes)
	return f, !asked || len(f.Types) > 0
}

// Notification returns one of viewerID's notifications.
func (s *Service) Notification(ctx context.Context, viewerID, id int64) (*NotificationView, error) {
	n, err := s.store.Notification(ctx, viewerID, id)
	if err != nil {
		return nil, fmt.Errorf("core: notification %d: %w", id, err)
	}
	vs, err := s.notificationViews(ctx, viewerID, []*model.Notification{n})
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("core: notification %d: %w", id, model.ErrNotFound)
	}
	return vs[0], nil
}

// DismissNotification hides one of viewerID's notifications.
func (s *Service) DismissNotification(ctx context.Context, viewerID, id int64) error {
	if err := s.store.DismissNotification(ctx, viewerID, id); err != nil {
		return fmt.Errorf("core: dismiss notification %d: %w", id, err)
	}
	return nil
}

// ClearNotifications hides all of viewerID's notifications.
func (s *Service) ClearNotifications(ctx context.Context, viewerID int64) error {
	if err := s.store.ClearNotifications(ctx, viewerID); err != nil {
		return fmt.Errorf("core: clear notifications: %w", err)
	}
	return nil
}

// notificationViews hydrates ns with one load per kind. A reblog
// notification points at the boost and shows the boosted status.
func (s *Service) notificationViews(ctx context.Context, viewerID int64, ns []*model.Notification) ([]*NotificationView, error) {
	var accountIDs, statusIDs []int64
	for _, n := range ns {
		accountIDs = append(accountIDs, n.FromID)
		statusIDs = append(statusIDs, n.StatusID)
	}
	accounts, err := s.store.AccountsByID(ctx, uniqueIDs(accountIDs))
	if err != nil {
		return nil, fmt.Errorf("core: notification accounts: %w", err)
	}
	shown, err := s.notificationStatuses(ctx, viewerID, ns, uniqueIDs(statusIDs))
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationView, 0, len(ns))
	for _, n := range ns {
		v := &NotificationView{Notification: n, Account: accounts[n.FromID]}
		if v.Account == nil || v.Account.SuspendedAt != nil {
			continue
		}
		if n.StatusID != 0 {
			if v.Status = shown[n.StatusID]; v.Status == nil {
				continue
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// notificationStatuses returns the views of the statuses notifications
// point at that viewerID may see, by the ID the notification holds.
func (s *Service) notificationStatuses(ctx context.Context, viewerID int64, ns []*model.Notification, ids []int64) (map[int64]*StatusView, error) {
	out := map[int64]*StatusView{}
	if len(ids) == 0 {
		return out, nil
	}
	sts, err := s.store.StatusesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("core: notification statuses: %w", err)
	}
	// For reblogs, swap the boost for what it boosts.
	shownAs := map[int64]int64{}
	var targets []int64
	for _, n := range ns {
		if st := sts[n.StatusID]; st != nil && st.ReblogOfID != 0 && n.Type == model.NotifyReblog {
			shownAs[n.StatusID] = st.ReblogOfID
			targets = append(targets, st.ReblogOfID)
		}
	}
	if len(targets) > 0 {
		ts, err := s.store.StatusesByID(ctx, uniqueIDs(targets))
		if err != nil {
			return nil, fmt.Errorf("core: notification statuses: %w", err)
		}
		for id, st := range ts {
			sts[id] = st
		}
	}
	list := make([]*model.Status, 0, len(sts))
	for _, id := range ids {
		if shown := shownAs[id]; shown != 0 {
			id = shown
		}
		if st := sts[id]; st != nil {
			list = append(list, st)
		}
	}
	vs, err := s.views(ctx, viewerID, list, false)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*StatusView, len(vs))
	for _, v := range vs {
		byID[v.Status.ID] = v
	}
	for _, id := range ids {
		shown := id
		if t := shownAs[id]; t != 0 {
			shown = t
		}
		if v := byID[shown]; v != nil {
			out[id] = v
		}
	}
	return out, nil
}
