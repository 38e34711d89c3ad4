package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Reports: a local user reports an account, local or remote, with some of
// its statuses; staff (owner, admin, moderator) list them and resolve or
// reopen them. A report about a remote account can be forwarded to its
// server (EventReportForwarded; federation sends a Flag from the instance
// actor, so the reporter stays anonymous there). Reports received from
// other servers come in through the inbox (inbox_flag.go).

// Limits on a report, as Mastodon's.
const (
	// MaxReportComment is the longest comment a local user may write.
	MaxReportComment = 1000
	// MaxReportStatuses bounds the statuses one report names.
	MaxReportStatuses = 100
)

// NewReport is what a user sends to report an account.
type NewReport struct {
	TargetID  int64
	StatusIDs []int64
	Comment   string
	// Category is spam, legal, violation or other; "" is violation when
	// RuleIDs are given, else other.
	Category string
	// RuleIDs are instance rules (1 for the first of Settings.Rules).
	RuleIDs []int64
	// Forward asks for a copy to the target's server, when remote.
	Forward bool
}

// ReportView is a report with the accounts and statuses it names, as a
// reader may see it.
type ReportView struct {
	Report *store.Report
	// Account is the reporter, Target the reported account; ActionTakenBy
	// the staff account that resolved it, nil when open or unknown.
	Account, Target, ActionTakenBy *model.Account
	// Statuses are the reported statuses that still exist.
	Statuses []*StatusView
	// Users are the local users among those accounts, by account ID, for
	// staff's views (AdminReports, AdminReport); nil in the reporter's.
	Users map[int64]*model.User
}

// CheckStaff refuses callers who may not moderate: a user whose role is
// not owner, admin or moderator (model.ErrForbidden).
func CheckStaff(a *Auth) error {
	if a == nil || a.User == nil || !a.User.Role.Staff() {
		return fmt.Errorf("core: staff only: %w", model.ErrForbidden)
	}
	return nil
}

// CreateReport files a report by the caller. The target must be an
// account the caller can see, not the caller; each status must be the
// target's and visible to the caller (else model.ErrNotFound, as
// Mastodon). Nothing is written unless every check passes.
func (s *Service) CreateReport(ctx context.Context, a *Auth, in NewReport) (*ReportView, error) {
	if a == nil || a.Account == nil {
		return nil, fmt.Errorf("core: report: %w", model.ErrUnauthorized)
	}
	me := a.Account
	r, err := s.checkNewReport(in)
	if err != nil {
		return nil, err
	}
	if in.TargetID == me.ID {
		return nil, fieldErr("account_id", "ERR_INVALID", "cannot be your own account")
	}
	target, err := s.Account(ctx, me.ID, in.TargetID)
	if err != nil {
		return nil, fmt.Errorf("core: report: %w", err)
	}
	if r.StatusIDs, err = s.reportableStatuses(ctx, me.ID, target.ID, in.StatusIDs); err != nil {
		return nil, err
	}
	r.AccountID, r.TargetAccountID = me.ID, target.ID
	r.Forwarded = in.Forward && !target.Local()
	if err := s.store.CreateReports(ctx, []*store.Report{r}); err != nil {
		return nil, fmt.Errorf("core: report: %w", err)
	}
	if r.Forwarded {
		s.publish(ctx, Event{Kind: EventReportForwarded, ActorID: me.ID, TargetID: target.ID, ReportID: r.ID})
	}
	return s.reportView(ctx, me.ID, r)
}

// checkNewReport validates what needs no lookup and returns the report to
// store, without its accounts and statuses.
func (s *Service) checkNewReport(in NewReport) (*store.Report, error) {
	var errs []error
	if hasNUL(in.Comment) {
		errs = append(errs, fieldErr("comment", "ERR_INVALID", "is invalid"))
	} else if utf8.RuneCountInString(in.Comment) > MaxReportComment {
		errs = append(errs, fieldErr("comment", "ERR_TOO_LONG",
			fmt.Sprintf("is too long (maximum is %d characters)", MaxReportComment)))
	}
	cat := store.ReportCategory(in.Category)
	if cat == "" {
		cat = store.ReportOther
		if len(in.RuleIDs) > 0 {
			cat = store.ReportViolation
		}
	}
	if !cat.Valid() {
		errs = append(errs, fieldErr("category", "ERR_INCLUSION", "is not included in the list"))
	}
	rules := uniqueIDs(in.RuleIDs)
	for _, id := range rules {
		if id < 1 || id > int64(len(s.settings().Rules)) {
			errs = append(errs, fieldErr("rule_ids", "ERR_INVALID", "is invalid"))
			break
		}
	}
	if len(rules) > 0 && cat != store.ReportViolation {
		errs = append(errs, fieldErr("rule_ids", "ERR_INVALID", "are only for the violation category"))
	}
	if len(uniqueIDs(in.StatusIDs)) > MaxReportStatuses {
		errs = append(errs, fieldErr("status_ids", "ERR_TOO_LONG",
			fmt.Sprintf("are too many (maximum is %d)", MaxReportStatuses)))
	}
	if err := joinFieldErrors(errs...); err != nil {
		return nil, err
	}
	return &store.Report{Comment: strings.TrimSpace(in.Comment), Category: cat, RuleIDs: rules}, nil
}

// reportableStatuses checks that each of ids is targetID's and visible to
// viewerID.
func (s *Service) reportableStatuses(ctx context.Context, viewerID, targetID int64, ids []int64) ([]int64, error) {
	ids = uniqueIDs(ids)
	for _, id := range ids {
		st, err := s.visibleStatus(ctx, viewerID, id)
		if err != nil {
			return nil, fmt.Errorf("core: report: %w", err)
		}
		if st.AccountID != targetID {
			return nil, fmt.Errorf("core: report: status %d is not the account's: %w", id, model.ErrNotFound)
		}
	}
	return ids, nil
}

// AdminReports lists reports for staff, newest first.
func (s *Service) AdminReports(ctx context.Context, a *Auth, f store.ReportFilter, p store.Page) (*Listing[*ReportView], error) {
	if err := CheckStaff(a); err != nil {
		return nil, err
	}
	rs, err := s.store.Reports(ctx, f, p)
	if err != nil {
		return nil, fmt.Errorf("core: reports: %w", err)
	}
	l := &Listing[*ReportView]{Items: make([]*ReportView, 0, len(rs))}
	if len(rs) > 0 {
		l.Newest, l.Oldest = rs[0].ID, rs[len(rs)-1].ID
	}
	for _, r := range rs {
		v, err := s.staffReportView(ctx, a.ViewerID(), r)
		if errors.Is(err, model.ErrNotFound) {
			continue // an account it names is unreadable (shredded)
		}
		if err != nil {
			return nil, err
		}
		l.Items = append(l.Items, v)
	}
	return l, nil
}

// AdminReport returns report id for staff.
func (s *Service) AdminReport(ctx context.Context, a *Auth, id int64) (*ReportView, error) {
	if err := CheckStaff(a); err != nil {
		return nil, err
	}
	r, err := s.store.Report(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: report: %w", err)
	}
	return s.staffReportView(ctx, a.ViewerID(), r)
}

// staffReportView is reportView with the users of the local accounts.
func (s *Service) staffReportView(ctx context.Context, viewerID int64, r *store.Report) (*ReportView, error) {
	v, err := s.reportView(ctx, viewerID, r)
	if err != nil {
		return nil, err
	}
	v.Users = map[int64]*model.User{}
	for _, a := range []*model.Account{v.Account, v.Target, v.ActionTakenBy} {
		if a == nil || !a.Local() || v.Users[a.ID] != nil {
			continue
		}
		u, err := s.store.User(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("core: report user: %w", err)
		}
		v.Users[a.ID] = u
	}
	return v, nil
}

// ResolveReport marks report id resolved by the caller (staff), or reopens
// it when resolved is false.
func (s *Service) ResolveReport(ctx context.Context, a *Auth, id int64, resolved bool) (*ReportView, error) {
	if err := CheckStaff(a); err != nil {
		return nil, err
	}
	var at *time.Time
	if resolved {
		now := s.now().UTC()
		at = &now
	}
	if err := s.store.ResolveReport(ctx, id, a.ViewerID(), at); err != nil {
		return nil, fmt.Errorf("core: resolve report: %w", err)
	}
	return s.AdminReport(ctx, a, id)
}

// reportView loads what r names. The reported statuses are shown whatever
// their visibility: the reporter could see them, and staff must.
func (s *Service) reportView(ctx context.Context, viewerID int64, r *store.Report) (*ReportView, error) {
	accts, err := s.store.AccountsByID(ctx, uniqueIDs([]int64{r.AccountID, r.TargetAccountID, r.ActionTakenByID}))
	if err != nil {
		return nil, fmt.Errorf("core: report accounts: %w", err)
	}
	v := &ReportView{Report: r, Account: accts[r.AccountID], Target: accts[r.TargetAccountID],
		ActionTakenBy: accts[r.ActionTakenByID]}
	if v.Account == nil || v.Target == nil {
		return nil, fmt.Errorf("core: report %d: %w", r.ID, model.ErrNotFound)
	}
	sts, err := s.store.StatusesByID(ctx, r.StatusIDs)
	if err != nil {
		return nil, fmt.Errorf("core: report statuses: %w", err)
	}
	list := make([]*model.Status, 0, len(sts))
	for _, id := range r.StatusIDs {
		if st := sts[id]; st != nil {
			list = append(list, st)
		}
	}
	b, err := s.loadBatch(ctx, viewerID, list, true)
	if err != nil {
		return nil, err
	}
	for _, st := range list {
		if b.accounts[st.AccountID] != nil && (st.ReblogOfID == 0 || b.statuses[st.ReblogOfID] != nil) {
			v.Statuses = append(v.Statuses, b.view(st))
		}
	}
	return v, nil
}

// ForwardedReport is what delivering a forwarded report needs: the
// reported remote account, the ActivityPub ids of the reported statuses
// and the comment. It is read when the delivery runs, never carried in
// the job.
type ForwardedReport struct {
	Report      *store.Report
	Target      *model.Account
	StatusURIs  []string
	Comment     string
	SharedInbox string // the target's server's shared inbox, else its own inbox
}

// DeliveryReport returns report id as forwarded to the target's server.
// A report gone, not forwarded, or about a local account is
// model.ErrNotFound: there is nothing to deliver.
func (s *Service) DeliveryReport(ctx context.Context, id int64) (*ForwardedReport, error) {
	r, err := s.store.Report(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: delivery report: %w", err)
	}
	if !r.Forwarded || r.URI != "" {
		return nil, fmt.Errorf("core: delivery report %d not forwarded: %w", id, model.ErrNotFound)
	}
	target, err := s.store.Account(ctx, r.TargetAccountID)
	if err != nil {
		return nil, fmt.Errorf("core: delivery report: %w", err)
	}
	if target.Local() || target.URI == "" {
		return nil, fmt.Errorf("core: delivery report %d: %w", id, model.ErrNotFound)
	}
	if p, err := s.DomainPolicy(ctx, target.Domain); err != nil {
		return nil, err
	} else if p.Suspended() {
		return nil, fmt.Errorf("core: delivery report %d: domain suspended: %w", id, model.ErrNotFound)
	}
	ra, err := s.store.RemoteActor(ctx, target.ID)
	if err != nil {
		return nil, fmt.Errorf("core: delivery report: %w", err)
	}
	f := &ForwardedReport{Report: r, Target: target, Comment: r.Comment, SharedInbox: ra.SharedInbox}
	if f.SharedInbox == "" {
		f.SharedInbox = ra.Inbox
	}
	sts, err := s.store.StatusesByID(ctx, r.StatusIDs)
	if err != nil {
		return nil, fmt.Errorf("core: delivery report statuses: %w", err)
	}
	for _, id := range r.StatusIDs {
		if st := sts[id]; st != nil && !st.Local && st.AccountID == target.ID && st.URI != "" {
			f.StatusURIs = append(f.StatusURIs, st.URI)
		}
	}
	return f, nil
}

// reportText makes a received comment plain text: valid UTF-8, without
// control characters but line breaks and tabs, trimmed.
func reportText(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s))
}
