package core

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Incoming Flags: another server's report about accounts of this one, as
// Mastodon sends it (from its instance actor, object = the reported actors
// and statuses, content = the comment). Each local account named gets one
// report, with the local statuses named that are its; the sender is the
// reporter. Objects that are not local accounts or statuses are ignored.

// Limits on an incoming Flag. Mastodon bounds the comment of local
// reports only (1000 characters); Roost refuses a Flag whose comment is
// far beyond that rather than store an unbounded text.
const (
	MaxRemoteReportComment = 5 * MaxReportComment
	// MaxFlagObjects bounds the accounts and statuses one Flag names.
	MaxFlagObjects = 2 * MaxReportStatuses
)

// flag records the reports a Flag makes. A Flag whose sender's domain
// rejects reports (a domain block with reject_reports) is dropped, as is
// one naming no local account; one already recorded is not recorded
// again. A Flag whose id is on another host than its actor's is
// model.ErrForbidden; one without an id, object or with an oversized
// comment or too many objects is model.ErrInvalid. Neither writes anything.
func (in *inbound) flag(ctx context.Context) error {
	s, act := in.s, in.act
	if p, err := s.DomainPolicy(ctx, in.actor.Domain); err != nil {
		return err
	} else if p.RejectReports {
		return nil
	}
	if act.ID == "" {
		return model.Invalid("Flag has no id")
	}
	if !sameHost(act.ID, in.actor.URI) {
		// Its id could pre-empt another server's Flag: refused, unwritten.
		return fmt.Errorf("core: flag id not on the actor's host: %w", model.ErrForbidden)
	}
	if len(act.Object) == 0 {
		return model.Invalid("Flag has no object")
	}
	if len(act.Object) > MaxFlagObjects {
		return model.Invalid("Flag names too many objects")
	}
	comment := reportText(act.Content)
	if utf8.RuneCountInString(comment) > MaxRemoteReportComment {
		return model.Invalid("Flag comment too long")
	}
	targets, statuses, err := in.flagObjects(ctx)
	if err != nil || len(targets) == 0 {
		return err
	}
	if done, err := s.store.ReportsByURI(ctx, act.ID); err != nil {
		return fmt.Errorf("core: flag: %w", err)
	} else if len(done) > 0 {
		return nil
	}
	rs := make([]*store.Report, 0, len(targets))
	for _, t := range targets {
		rs = append(rs, &store.Report{AccountID: in.actor.ID, TargetAccountID: t.ID, StatusIDs: statuses[t.ID],
			Comment: comment, Category: store.ReportOther, URI: act.ID})
	}
	err = s.store.CreateReports(ctx, rs)
	if errors.Is(err, model.ErrConflict) {
		return nil // the same Flag, delivered twice at once
	}
	if err != nil {
		return fmt.Errorf("core: flag: %w", err)
	}
	return nil
}

// flagObjects sorts a Flag's objects into the local accounts it names, in
// order, and the local statuses of those accounts, by author. Anything
// else (remote or unknown objects, statuses of accounts not named) is
// left out.
func (in *inbound) flagObjects(ctx context.Context) ([]*model.Account, map[int64][]int64, error) {
	var targets []*model.Account
	seen := map[int64]bool{}
	var sts []*model.Status
	for _, ref := range in.act.Object {
		u, err := in.s.remoteURL(ref.IRI)
		if err != nil || !in.s.isLocalHost(u.Host) {
			continue
		}
		if a, err := in.s.localActorByURL(ctx, u); err == nil {
			if !seen[a.ID] {
				seen[a.ID] = true
				targets = append(targets, a)
			}
			continue
		} else if !errors.Is(err, model.ErrNotFound) {
			return nil, nil, err
		}
		st, err := in.s.localStatusByIRI(ctx, u)
		switch {
		case err == nil:
			sts = append(sts, st)
		case !errors.Is(err, model.ErrNotFound):
			return nil, nil, err
		}
	}
	byAuthor := map[int64][]int64{}
	for _, st := range sts {
		if seen[st.AccountID] && !containsID(byAuthor[st.AccountID], st.ID) {
			byAuthor[st.AccountID] = append(byAuthor[st.AccountID], st.ID)
		}
	}
	return targets, byAuthor, nil
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
