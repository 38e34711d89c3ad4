package mastoapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// adminAccountRoutes registers Mastodon's v1 admin accounts API for staff
// (owner, admin, moderator), with Mastodon's scopes. Of the actions, only
// suspend and none exist in Roost; silence, sensitive and disable answer
// 422. The email is shown to owners and admins, not to moderators.
func (s *Server) adminAccountRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/admin/accounts", s.staff("admin:read:accounts", s.adminAccounts))
	m.HandleFunc("GET /api/v1/admin/accounts/{id}", s.staff("admin:read:accounts", s.adminAccountEntry))
	m.HandleFunc("POST /api/v1/admin/accounts/{id}/approve", s.staff("admin:write:accounts", s.adminAccountChange(s.svc.ApproveAccount)))
	m.HandleFunc("POST /api/v1/admin/accounts/{id}/reject", s.staff("admin:write:accounts", s.adminAccountChange(s.svc.RejectAccount)))
	m.HandleFunc("POST /api/v1/admin/accounts/{id}/unsuspend", s.staff("admin:write:accounts", s.adminAccountChange(s.svc.UnsuspendAccount)))
	m.HandleFunc("POST /api/v1/admin/accounts/{id}/action", s.staff("admin:write:accounts", s.adminAccountAction))
}

// adminAccounts is GET /api/v1/admin/accounts: pages of 100, at most 200.
func (s *Server) adminAccounts(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	f := store.AdminAccountFilter{
		Local: queryBool(r, "local"), Remote: queryBool(r, "remote"), Pending: queryBool(r, "pending"),
		Active: queryBool(r, "active"), Suspended: queryBool(r, "suspended"), Username: r.URL.Query().Get("username"),
	}
	if (f.Local && f.Remote) || queryBool(r, "silenced") || queryBool(r, "sensitized") {
		writeJSON(w, http.StatusOK, []AdminAccount{}) // no account is both, nor silenced or sensitized
		return
	}
	l, err := s.svc.AdminAccounts(r.Context(), a, f, pageWithin(r, 100, 200))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]AdminAccount, 0, len(l.Items))
	for _, e := range l.Items {
		out = append(out, s.renderStaffAccount(a, e))
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, out)
}

// adminAccountEntry is GET /api/v1/admin/accounts/{id}.
func (s *Server) adminAccountEntry(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	s.adminAccountChange(s.svc.AdminAccount)(w, r, a)
}

// adminAccountChange serves an endpoint that acts on account {id} and
// answers with its Admin::Account.
func (s *Server) adminAccountChange(do func(ctx context.Context, a *core.Auth, id int64) (core.UserEntry, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		e, err := do(r.Context(), a, id)
		if err != nil {
			s.failAdminAccount(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, s.renderStaffAccount(a, e))
	}
}

// adminAccountAction is POST /api/v1/admin/accounts/{id}/action; it
// answers with an empty object, as Mastodon does. Warnings and emails
// (text, send_email_notification, warning_preset_id) are not sent.
func (s *Server) adminAccountAction(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	if bad := p.notScalar("type", "report_id"); bad != "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+bad+" must be a string")
		return
	}
	act := core.AccountAction{Type: p.String("type")}
	if v := p.String("report_id"); v != "" {
		rid, ok := model.ParseID(v)
		if !ok {
			writeError(w, http.StatusNotFound, "Record not found")
			return
		}
		act.ReportID = rid
	}
	if err := s.svc.TakeAccountAction(r.Context(), a, id, act); err != nil {
		s.failAdminAccount(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// failAdminAccount says why an admin account action was refused, so that
// the web client can show it; other errors go through fail.
func (s *Server) failAdminAccount(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, core.ErrAccountNotPending):
		writeError(w, http.StatusForbidden, "This action is not allowed: the account is not waiting for approval")
	case errors.Is(err, core.ErrOutranked):
		writeError(w, http.StatusForbidden, "This action is not allowed: not on your own account, nor on staff of your role or above")
	case errors.Is(err, core.ErrNotSuspended):
		writeError(w, http.StatusForbidden, "This action is not allowed: the account is not suspended")
	case errors.Is(err, core.ErrAccountHeld):
		writeError(w, http.StatusConflict, "The account is under a legal hold and cannot be deleted until the hold ends")
	default:
		s.fail(w, r, err)
	}
}

// renderStaffAccount is the Admin::Account of e as caller a may see it:
// a moderator does not see the email.
func (s *Server) renderStaffAccount(a *core.Auth, e core.UserEntry) AdminAccount {
	out := s.renderAdminAccount(e.Account, e.User)
	if core.CheckAdmin(a) != nil {
		out.Email = nil
	}
	return out
}
