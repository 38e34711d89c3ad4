package core

import (
	"context"
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// severDomain ends accountID's ties with the accounts of domain (and its
// subdomains) when accountID blocks it, as Mastodon's
// AfterBlockDomainFromAccountService does: their follows of accountID and
// their pending requests are rejected (a Reject each, published before the
// row goes, since delivery reads the follow), and accountID's follows of
// them are undone (an Undo each, likewise).
func (s *Service) severDomain(ctx context.Context, accountID int64, domain string) error {
	followers, requests, err := s.domainFollowers(ctx, accountID, domain)
	if err != nil {
		return err
	}
	for _, id := range append(followers, requests...) {
		s.publish(ctx, Event{Kind: EventFollowRejected, ActorID: accountID, TargetID: id}) // before the follow row goes
		if _, err := s.store.DeleteFollow(ctx, id, accountID); err != nil {
			return fmt.Errorf("core: block domain: remove follower %d: %w", id, err)
		}
	}
	for _, id := range requests {
		if err := s.dropRequestNotifications(ctx, accountID, id); err != nil {
			return err
		}
	}
	followed, err := s.domainPage(ctx, domain, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return s.store.Following(ctx, accountID, p)
	})
	if err != nil {
		return fmt.Errorf("core: block domain: following: %w", err)
	}
	for _, id := range followed {
		s.publish(ctx, Event{Kind: EventUnfollowed, ActorID: accountID, TargetID: id}) // before the follow row goes
		if _, err := s.store.DeleteFollow(ctx, accountID, id); err != nil {
			return fmt.Errorf("core: block domain: unfollow %d: %w", id, err)
		}
	}
	return nil
}

// domainFollowers returns the accounts of domain that follow accountID,
// and those that ask to.
func (s *Service) domainFollowers(ctx context.Context, accountID int64, domain string) (followers, requests []int64, err error) {
	ids, err := s.store.FollowerIDs(ctx, accountID)
	if err != nil {
		return nil, nil, fmt.Errorf("core: block domain: followers: %w", err)
	}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		accts, err := s.store.AccountsByID(ctx, part)
		if err != nil {
			return nil, nil, fmt.Errorf("core: block domain: followers: %w", err)
		}
		for _, id := range part {
			if a := accts[id]; a != nil && onDomain(a, domain) {
				followers = append(followers, id)
			}
		}
	}
	requests, err = s.domainPage(ctx, domain, func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return s.store.FollowRequests(ctx, accountID, p)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("core: block domain: follow requests: %w", err)
	}
	return followers, requests, nil
}

// domainPage walks a keyed listing of accounts to its end and returns
// those of domain.
func (s *Service) domainPage(ctx context.Context, domain string, list func(store.Page) ([]store.Keyed[*model.Account], error)) ([]int64, error) {
	var out []int64
	p := store.Page{Limit: 200}
	for {
		rows, err := list(p)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if onDomain(r.Value, domain) {
				out = append(out, r.Value.ID)
			}
		}
		if len(rows) < p.Limit {
			return out, nil
		}
		p.MaxID = rows[len(rows)-1].Key
	}
}

// onDomain reports whether a is a remote account on domain or one of its
// subdomains (domain normalised).
func onDomain(a *model.Account, domain string) bool {
	d := strings.ToLower(a.Domain)
	return d != "" && (d == domain || strings.HasSuffix(d, "."+domain))
}
