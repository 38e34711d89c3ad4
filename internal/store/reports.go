package store

import (
	"context"
	"time"
)

// ReportCategory is why an account was reported, as Mastodon names it.
type ReportCategory string

// Report categories.
const (
	ReportSpam      ReportCategory = "spam"
	ReportLegal     ReportCategory = "legal"
	ReportViolation ReportCategory = "violation" // of the instance rules in RuleIDs
	ReportOther     ReportCategory = "other"
)

// Valid reports whether c is one of the four categories.
func (c ReportCategory) Valid() bool {
	return c == ReportSpam || c == ReportLegal || c == ReportViolation || c == ReportOther
}

// Report is a complaint about an account, made by a local user or received
// from another server (a Flag). The comment is sealed at rest under the
// reporter's key (AccountID): it is the reporter's own text, and goes with
// the reporter's key when that account is shredded (a remote reporter's
// when its server deletes the actor). Everything else is ids, flags and
// times, stored in clear.
type Report struct {
	ID int64
	// AccountID is the reporter: a local account, or the remote actor
	// (often a server's instance actor) that sent the Flag.
	AccountID int64
	// TargetAccountID is the reported account.
	TargetAccountID int64
	// StatusIDs are the reported statuses, all the target's.
	StatusIDs []int64
	Comment   string
	// CommentShredded says that the comment could not be read because the
	// reporter's key was destroyed; Comment is then "".
	CommentShredded bool
	Category        ReportCategory
	// RuleIDs are the instance rules broken, for ReportViolation.
	RuleIDs []int64
	// Forwarded says that a copy was (to be) sent to the target's server.
	Forwarded bool
	// URI is the id of the Flag activity an incoming report came with; ""
	// for a local one.
	URI string
	// ActionTakenAt is when the report was resolved, and ActionTakenByID
	// by whom (a staff account; 0 when unknown or unresolved).
	ActionTakenAt   *time.Time
	ActionTakenByID int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ReportFilter narrows a report listing, as Mastodon's admin API does.
type ReportFilter struct {
	// Resolved lists resolved reports instead of open ones.
	Resolved bool
	// AccountID and TargetAccountID, when not 0, keep the reports by that
	// reporter, or about that account.
	AccountID       int64
	TargetAccountID int64
}

// Reports stores reports. Deleting an account deletes the reports it made
// and those about it, as Mastodon does.
type Reports interface {
	// CreateReports inserts every report of rs in one transaction: all or
	// none. Zero IDs, CreatedAt and UpdatedAt are filled in. A report
	// whose URI is not "" and already has a report about the same target
	// is model.ErrConflict (an incoming Flag is recorded once); a missing
	// reporter or target is model.ErrNotFound; an invalid category is
	// model.ErrInvalid.
	CreateReports(ctx context.Context, rs []*Report) error
	// Report returns the report with id.
	Report(ctx context.Context, id int64) (*Report, error)
	// ReportsByURI returns the reports an incoming Flag made, oldest
	// first; none is an empty list, not an error.
	ReportsByURI(ctx context.Context, uri string) ([]*Report, error)
	// Reports lists reports newest first, paged by ID, 100 a page by
	// default and at most 200, as Mastodon's admin API.
	Reports(ctx context.Context, f ReportFilter, p Page) ([]*Report, error)
	// ResolveReport marks report id resolved at at by account byID, or
	// reopens it when at is nil. A missing report is model.ErrNotFound.
	ResolveReport(ctx context.Context, id, byID int64, at *time.Time) error
}
