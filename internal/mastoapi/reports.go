package mastoapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// reportRoutes registers reports: a user files one, staff (owner, admin,
// moderator) list and resolve them. Scopes are Mastodon's.
func (s *Server) reportRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/reports", s.user("write:reports", s.createReport))
	m.HandleFunc("GET /api/v1/admin/reports", s.staff("admin:read:reports", s.adminReports))
	m.HandleFunc("GET /api/v1/admin/reports/{id}", s.staff("admin:read:reports", s.adminReport))
	m.HandleFunc("POST /api/v1/admin/reports/{id}/resolve", s.staff("admin:write:reports", s.resolveReport(true)))
	m.HandleFunc("POST /api/v1/admin/reports/{id}/reopen", s.staff("admin:write:reports", s.resolveReport(false)))
}

// staff wraps an endpoint of the admin API open to moderators too: a
// user's token with scope, of a user whose role may moderate.
func (s *Server) staff(scope string, h handler) http.HandlerFunc {
	return s.user(scope, func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		if err := core.CheckStaff(a); err != nil {
			writeError(w, http.StatusForbidden, "This action is not allowed")
			return
		}
		h(w, r, a)
	})
}

// Report is Mastodon's Report entity, as its reporter sees it.
type Report struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount Account  `json:"target_account"`
}

// AdminReport is Mastodon's Admin::Report entity. No report is ever
// assigned to a moderator in Roost: assigned_account is always null.
type AdminReport struct {
	ID                   string        `json:"id"`
	ActionTaken          bool          `json:"action_taken"`
	ActionTakenAt        *string       `json:"action_taken_at"`
	Category             string        `json:"category"`
	Comment              string        `json:"comment"`
	Forwarded            bool          `json:"forwarded"`
	CreatedAt            string        `json:"created_at"`
	UpdatedAt            string        `json:"updated_at"`
	Account              AdminAccount  `json:"account"`
	TargetAccount        AdminAccount  `json:"target_account"`
	AssignedAccount      *AdminAccount `json:"assigned_account"`
	ActionTakenByAccount *AdminAccount `json:"action_taken_by_account"`
	Statuses             []Status      `json:"statuses"`
	Rules                []ruleEntity  `json:"rules"`
}

// AdminAccount is Mastodon's Admin::Account entity, as far as Roost knows
// it: no IP addresses are ever kept, so ip is null and ips empty; the
// user's fields (email, locale, role) are null for a remote account, as
// on Mastodon.
type AdminAccount struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Domain        *string `json:"domain"`
	CreatedAt     string  `json:"created_at"`
	Email         *string `json:"email"`
	IP            *string `json:"ip"`
	IPs           []any   `json:"ips"`
	Locale        *string `json:"locale"`
	InviteRequest *string `json:"invite_request"`
	Role          *Role   `json:"role"`
	Confirmed     bool    `json:"confirmed"`
	Approved      bool    `json:"approved"`
	Disabled      bool    `json:"disabled"`
	Silenced      bool    `json:"silenced"`
	Sensitized    bool    `json:"sensitized"`
	Suspended     bool    `json:"suspended"`
	Account       Account `json:"account"`
}

func idStrings(ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, model.FormatID(id))
	}
	return out
}

// optTime is *t in Mastodon's format, or null.
func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	v := mastoTime(*t)
	return &v
}

func (s *Server) renderReport(v *core.ReportView) Report {
	r := v.Report
	out := Report{ID: model.FormatID(r.ID), ActionTaken: r.ActionTakenAt != nil, Category: string(r.Category),
		Comment: r.Comment, Forwarded: r.Forwarded, CreatedAt: mastoTime(r.CreatedAt), ActionTakenAt: optTime(r.ActionTakenAt),
		StatusIDs: idStrings(r.StatusIDs), RuleIDs: idStrings(r.RuleIDs), TargetAccount: s.renderAccount(v.Target)}
	return out
}

func (s *Server) renderAdminAccount(a *model.Account, u *model.User) AdminAccount {
	out := AdminAccount{ID: model.FormatID(a.ID), Username: a.Username, CreatedAt: mastoTime(a.CreatedAt),
		IPs: []any{}, Suspended: a.SuspendedAt != nil, Account: s.renderAccount(a)}
	if !a.Local() {
		d := a.Domain
		out.Domain = &d
		return out
	}
	if u != nil {
		email, locale, role := u.Email, u.Locale, renderRole(u.Role)
		out.Email, out.Locale, out.Role = &email, &locale, &role
		out.Confirmed, out.Approved, out.Disabled = true, u.Approved, u.DisabledAt != nil
		out.InviteRequest = nullString(u.Reason)
	}
	return out
}

func (s *Server) renderAdminReport(v *core.ReportView) AdminReport {
	r := v.Report
	out := AdminReport{ID: model.FormatID(r.ID), ActionTaken: r.ActionTakenAt != nil, Category: string(r.Category),
		Comment: r.Comment, Forwarded: r.Forwarded, CreatedAt: mastoTime(r.CreatedAt), UpdatedAt: mastoTime(r.UpdatedAt),
		ActionTakenAt: optTime(r.ActionTakenAt),
		Account:       s.renderAdminAccount(v.Account, v.Users[v.Account.ID]),
		TargetAccount: s.renderAdminAccount(v.Target, v.Users[v.Target.ID]),
		Statuses:      s.renderStatuses(v.Statuses), Rules: []ruleEntity{}}
	if by := v.ActionTakenBy; by != nil && r.ActionTakenAt != nil {
		a := s.renderAdminAccount(by, v.Users[by.ID])
		out.ActionTakenByAccount = &a
	}
	rules := s.svc.Settings().Rules
	for _, id := range r.RuleIDs {
		if id >= 1 && id <= int64(len(rules)) {
			out.Rules = append(out.Rules, ruleEntity{ID: strconv.FormatInt(id, 10), Text: rules[id-1]})
		}
	}
	return out
}

// createReport is POST /api/v1/reports.
func (s *Server) createReport(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	target, ok := model.ParseID(p.String("account_id"))
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	in := core.NewReport{TargetID: target, Comment: p.String("comment"), Category: p.String("category"),
		Forward: p.Bool("forward", false)}
	var bad bool
	if in.StatusIDs, bad = parseIDs(p.Strings("status_ids")); bad {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	if in.RuleIDs, bad = parseIDs(p.Strings("rule_ids")); bad {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Rule ids is invalid")
		return
	}
	v, err := s.svc.CreateReport(r.Context(), a, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderReport(v))
}

// parseIDs parses a list of ids; bad is true when one is not an id.
func parseIDs(raw []string) (ids []int64, bad bool) {
	for _, v := range raw {
		if v == "" {
			continue
		}
		id, ok := model.ParseID(v)
		if !ok {
			return nil, true
		}
		ids = append(ids, id)
	}
	return ids, false
}

// adminReports is GET /api/v1/admin/reports: open reports, or resolved
// ones with resolved=true, optionally by account_id or about
// target_account_id.
func (s *Server) adminReports(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	q := r.URL.Query()
	f := store.ReportFilter{Resolved: queryBool(r, "resolved")}
	f.AccountID, _ = model.ParseID(q.Get("account_id"))
	f.TargetAccountID, _ = model.ParseID(q.Get("target_account_id"))
	if (q.Get("account_id") != "" && f.AccountID == 0) || (q.Get("target_account_id") != "" && f.TargetAccountID == 0) {
		writeJSON(w, http.StatusOK, []AdminReport{})
		return
	}
	l, err := s.svc.AdminReports(r.Context(), a, f, pageWithin(r, 100, 200))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]AdminReport, 0, len(l.Items))
	for _, v := range l.Items {
		out = append(out, s.renderAdminReport(v))
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, out)
}

// adminReport is GET /api/v1/admin/reports/{id}.
func (s *Server) adminReport(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.svc.AdminReport(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderAdminReport(v))
}

// resolveReport is POST /api/v1/admin/reports/{id}/resolve (resolved)
// and /reopen.
func (s *Server) resolveReport(resolved bool) handler {
	return func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		v, err := s.svc.ResolveReport(r.Context(), a, id, resolved)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, s.renderAdminReport(v))
	}
}
