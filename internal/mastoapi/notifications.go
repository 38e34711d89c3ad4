package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Mastodon's limits for notification listings.
const (
	defaultNotificationLimit = 40
	maxNotificationLimit     = 80
)

// Notification is Mastodon's Notification entity.
type Notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	GroupKey  string  `json:"group_key"`
	CreatedAt string  `json:"created_at"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

func (s *Server) renderNotification(v *core.NotificationView) Notification {
	n := v.Notification
	id := model.FormatID(n.ID)
	out := Notification{
		ID: id, Type: string(n.Type), GroupKey: "ungrouped-" + id, CreatedAt: mastoTime(n.CreatedAt),
		Account: s.renderAccount(v.Account),
	}
	if v.Status != nil {
		st := s.renderStatus(v.Status)
		out.Status = &st
	}
	return out
}

// notificationFilter reads types[], exclude_types[] and account_id.
func notificationFilter(r *http.Request) store.NotificationFilter {
	p := &params{form: r.URL.Query()}
	var f store.NotificationFilter
	for _, t := range p.Strings("types") {
		f.Types = append(f.Types, model.NotificationType(t))
	}
	for _, t := range p.Strings("exclude_types") {
		f.ExcludeTypes = append(f.ExcludeTypes, model.NotificationType(t))
	}
	f.FromID, _ = model.ParseID(p.String("account_id"))
	return f
}

// notifications is GET /api/v1/notifications.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	f := notificationFilter(r)
	if r.URL.Query().Get("account_id") != "" && f.FromID == 0 {
		writeJSON(w, http.StatusOK, []Notification{})
		return
	}
	l, err := s.svc.Notifications(r.Context(), a.ViewerID(), f, pageWithin(r, defaultNotificationLimit, maxNotificationLimit))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Notification, 0, len(l.Items))
	for _, v := range l.Items {
		out = append(out, s.renderNotification(v))
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, out)
}

// notification is GET /api/v1/notifications/{id}.
func (s *Server) notification(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.svc.Notification(r.Context(), a.ViewerID(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderNotification(v))
}

// dismissNotification is POST /api/v1/notifications/{id}/dismiss.
func (s *Server) dismissNotification(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if err := s.svc.DismissNotification(r.Context(), a.ViewerID(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// clearNotifications is POST /api/v1/notifications/clear.
func (s *Server) clearNotifications(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	if err := s.svc.ClearNotifications(r.Context(), a.ViewerID()); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
