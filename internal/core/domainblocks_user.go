package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Per-user domain blocks: an account hides a domain and its subdomains.
// The store leaves the statuses (and boosts of them) and notifications of
// the domain's accounts out of the account's timelines and notifications,
// and Relationship.DomainBlocking is set for them. As in Mastodon,
// blocking a domain ends the follows both ways with its accounts
// (severDomain) and threads leave them out (threadFilter); a status of
// theirs opened directly is still shown.

// userDomain normalises a domain for a per-user block; our own domain
// cannot be blocked.
func (s *Service) userDomain(domain string) (string, error) {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return "", err
	}
	if d == s.ownHost() {
		return "", model.Invalid("this server's own domain cannot be blocked")
	}
	return d, nil
}

// BlockDomain hides domain from the caller; blocking it again is no error.
func (s *Service) BlockDomain(ctx context.Context, a *Auth, domain string) error {
	d, err := s.userDomain(domain)
	if err != nil {
		return err
	}
	if err := s.store.PutUserDomainBlock(ctx, a.ViewerID(), d); err != nil {
		return fmt.Errorf("core: block domain: %w", err)
	}
	return s.severDomain(ctx, a.ViewerID(), d)
}

// UnblockDomain lifts the caller's block of domain; none is no error.
func (s *Service) UnblockDomain(ctx context.Context, a *Auth, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	if err := s.store.DeleteUserDomainBlock(ctx, a.ViewerID(), d); err != nil {
		return fmt.Errorf("core: unblock domain: %w", err)
	}
	return nil
}

// BlockedDomains lists the domains the caller blocks, newest first.
func (s *Service) BlockedDomains(ctx context.Context, a *Auth, p store.Page) (*Listing[string], error) {
	rows, err := s.store.UserDomainBlocks(ctx, a.ViewerID(), p)
	if err != nil {
		return nil, fmt.Errorf("core: blocked domains: %w", err)
	}
	l := &Listing[string]{Items: make([]string, 0, len(rows))}
	for _, r := range rows {
		l.Items = append(l.Items, r.Value)
	}
	if len(rows) > 0 {
		l.Newest, l.Oldest = rows[0].Key, rows[len(rows)-1].Key
	}
	return l, nil
}
