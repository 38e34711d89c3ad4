package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Instance domain blocks: an admin suspends, silences or limits (noop with
// reject_media / reject_reports) a domain and all its subdomains. Federation
// asks DomainPolicy before it writes anything for an incoming activity, so
// the check is answered from memory: each node keeps every block in a map,
// reloaded when it changes on this node and, for changes made on other
// nodes of a multi-node install, at most DomainPolicyTTL after they were
// made.

// DomainPolicyTTL is how long a node trusts its copy of the instance domain
// blocks. A block added on another node takes effect here within it.
const DomainPolicyTTL = 15 * time.Second

// Limits on what an admin writes.
const (
	MaxDomainLen        = 253
	MaxDomainCommentLen = 1000
)

// DomainPolicy is what the instance's domain blocks say about one domain.
// The zero value is no block.
type DomainPolicy struct {
	// Domain is the blocked domain that applies (the domain itself or the
	// nearest parent blocked); "" when none does.
	Domain        string
	Severity      store.Severity
	RejectMedia   bool
	RejectReports bool
}

// Suspended reports whether activities from the domain are to be dropped
// before any write.
func (p DomainPolicy) Suspended() bool { return p.Severity == store.SeveritySuspend }

// Silenced reports whether the domain's accounts are limited.
func (p DomainPolicy) Silenced() bool { return p.Severity == store.SeveritySilence }

// NormalizeDomain returns domain as blocks store it: trimmed, lower case,
// internationalised names as punycode (IDNA lookup rules), without a
// trailing dot. Anything that is not a host name (a URL, an address with a
// user or port, an IP address, a wildcard) is model.ErrInvalid.
func NormalizeDomain(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	if d == "" {
		return "", model.Invalid("domain is missing")
	}
	if len(d) > 4*MaxDomainLen || strings.ContainsAny(d, "/:@*?# \t") {
		return "", model.Invalid("domain must be a host name, such as example.org")
	}
	a, err := domainIDNA.ToASCII(strings.ToLower(d))
	if err != nil || a == "" || len(a) > MaxDomainLen || net.ParseIP(a) != nil {
		return "", model.Invalid("domain must be a host name, such as example.org")
	}
	return a, nil
}

// domainIDNA is IDNA's lookup profile (UTS 46 mapping, STD3 host-name
// rules, the Bidi rule) that also refuses empty and overlong labels.
var domainIDNA = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// domainCache is a node's copy of the instance domain blocks. The zero
// value is empty and loads on first use.
type domainCache struct {
	mu     sync.RWMutex
	rules  map[string]DomainPolicy
	loaded time.Time // zero: never loaded, or invalidated
	gen    uint64    // bumped by every invalidation
}

// fresh returns the rules when they were loaded less than DomainPolicyTTL
// before now.
func (c *domainCache) fresh(now time.Time) (map[string]DomainPolicy, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.loaded.IsZero() || now.Sub(c.loaded) >= DomainPolicyTTL || now.Before(c.loaded) {
		return nil, false
	}
	return c.rules, true
}

func (c *domainCache) invalidate() {
	c.mu.Lock()
	c.loaded = time.Time{}
	c.gen++
	c.mu.Unlock()
}

// domainRules returns the blocks by domain, reloading them when stale. A
// load that raced an invalidation is used once but not kept.
func (s *Service) domainRules(ctx context.Context) (map[string]DomainPolicy, error) {
	c := &s.domains
	if rules, ok := c.fresh(s.now()); ok {
		return rules, nil
	}
	c.mu.RLock()
	gen := c.gen
	c.mu.RUnlock()
	start := s.now()
	list, err := s.store.AllDomainBlocks(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("core: domain policy: %w", err)
	}
	rules := make(map[string]DomainPolicy, len(list))
	for _, b := range list {
		rules[b.Domain] = DomainPolicy{Domain: b.Domain, Severity: b.Severity, RejectMedia: b.RejectMedia, RejectReports: b.RejectReports}
	}
	c.mu.Lock()
	if c.gen == gen {
		c.rules, c.loaded = rules, start
	}
	c.mu.Unlock()
	return rules, nil
}

// DomainPolicy is the one check federation makes, before any database
// write, for an activity or document from domain (a host, with or without
// a port): the block of the domain or of its nearest blocked parent. Our
// own domain and names that are no host name have no policy. It reads
// memory except once per DomainPolicyTTL per node. An error means the
// blocks could not be read: the caller must then write nothing (answer 503
// and let the sender retry), since the domain may be suspended.
func (s *Service) DomainPolicy(ctx context.Context, domain string) (DomainPolicy, error) {
	if h, _, err := net.SplitHostPort(domain); err == nil {
		domain = h
	}
	d, err := NormalizeDomain(domain)
	if err != nil || d == s.ownHost() {
		return DomainPolicy{}, nil
	}
	rules, err := s.domainRules(ctx)
	if err != nil {
		return DomainPolicy{}, err
	}
	for {
		if p, ok := rules[d]; ok {
			return p, nil
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			return DomainPolicy{}, nil
		}
		d = d[i+1:]
	}
}

// ownHost is this instance's host name, without a port.
func (s *Service) ownHost() string {
	h := s.settings().Domain
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(h)
}

// CheckAdmin allows owners and admins, the roles that manage federation
// (moderators do not, as in Mastodon); anyone else is model.ErrForbidden.
func CheckAdmin(a *Auth) error {
	if a == nil || a.User == nil || (a.User.Role != model.RoleOwner && a.User.Role != model.RoleAdmin) {
		return fmt.Errorf("core: admin only: %w", model.ErrForbidden)
	}
	return nil
}

// checkDomainBlock normalises b's domain and checks the rest.
func (s *Service) checkDomainBlock(b *store.DomainBlock) error {
	d, err := NormalizeDomain(b.Domain)
	if err != nil {
		return err
	}
	if d == s.ownHost() {
		return model.Invalid("this server's own domain cannot be blocked")
	}
	b.Domain = d
	if b.Severity == "" {
		b.Severity = store.SeveritySilence
	}
	if !b.Severity.Valid() {
		return model.Invalid("severity must be suspend, silence or noop")
	}
	if utf8.RuneCountInString(b.PrivateComment) > MaxDomainCommentLen || utf8.RuneCountInString(b.PublicComment) > MaxDomainCommentLen {
		return model.Invalid(fmt.Sprintf("comments are limited to %d characters", MaxDomainCommentLen))
	}
	return nil
}

// AddDomainBlock blocks b.Domain (severity "" is silence, as in Mastodon).
// An existing block of the same domain is replaced when replace is set,
// else the error is model.ErrConflict. Suspending a domain suspends its
// known accounts; lifting a suspension lifts it from the accounts the
// block suspended.
func (s *Service) AddDomainBlock(ctx context.Context, b store.DomainBlock, replace bool) (*store.DomainBlock, error) {
	if err := s.checkDomainBlock(&b); err != nil {
		return nil, err
	}
	prev, err := s.store.DomainBlockByDomain(ctx, b.Domain)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: add domain block: %w", err)
	}
	if prev != nil && !replace {
		return nil, fmt.Errorf("core: add domain block %s: %w", b.Domain, model.ErrConflict)
	}
	if err := s.putDomainBlocks(ctx, []*store.DomainBlock{&b}, map[string]*store.DomainBlock{b.Domain: prev}); err != nil {
		return nil, err
	}
	return &b, nil
}

// UpdateDomainBlock changes the block with id; its domain stays.
func (s *Service) UpdateDomainBlock(ctx context.Context, id int64, change func(*store.DomainBlock)) (*store.DomainBlock, error) {
	prev, err := s.store.DomainBlock(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: update domain block: %w", err)
	}
	b := *prev
	change(&b)
	b.Domain, b.ID = prev.Domain, prev.ID
	if err := s.checkDomainBlock(&b); err != nil {
		return nil, err
	}
	if err := s.putDomainBlocks(ctx, []*store.DomainBlock{&b}, map[string]*store.DomainBlock{b.Domain: prev}); err != nil {
		return nil, err
	}
	return &b, nil
}

// putDomainBlocks writes bs (checked already) in one transaction, then
// suspends or unsuspends the accounts of the domains whose severity
// changed from prev, and drops this node's cached policy.
func (s *Service) putDomainBlocks(ctx context.Context, bs []*store.DomainBlock, prev map[string]*store.DomainBlock) error {
	err := s.store.PutDomainBlocks(ctx, bs)
	s.domains.invalidate()
	if err != nil {
		return fmt.Errorf("core: put domain blocks: %w", err)
	}
	for _, b := range bs {
		p := prev[b.Domain]
		wasSuspended := p != nil && p.Severity == store.SeveritySuspend
		switch {
		case b.Severity == store.SeveritySuspend && !wasSuspended:
			err = s.suspendDomain(ctx, b)
		case b.Severity != store.SeveritySuspend && wasSuspended:
			err = s.unsuspendDomain(ctx, p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// suspendDomain suspends the domain's known accounts that are not
// suspended yet, at the block's creation time, which marks them as
// suspended by it.
func (s *Service) suspendDomain(ctx context.Context, b *store.DomainBlock) error {
	return s.eachDomainAccount(ctx, b.Domain, func(a *model.Account) error {
		if a.SuspendedAt != nil {
			return nil
		}
		at := b.CreatedAt
		return s.store.SetAccountSuspended(ctx, a.ID, &at)
	})
}

// unsuspendDomain lifts the suspensions that block b made: those dated
// exactly at its creation (to the stores' microsecond). Accounts suspended
// otherwise stay suspended.
func (s *Service) unsuspendDomain(ctx context.Context, b *store.DomainBlock) error {
	mark := b.CreatedAt.Truncate(time.Microsecond)
	return s.eachDomainAccount(ctx, b.Domain, func(a *model.Account) error {
		if a.SuspendedAt == nil || !a.SuspendedAt.Truncate(time.Microsecond).Equal(mark) {
			return nil
		}
		return s.store.SetAccountSuspended(ctx, a.ID, nil)
	})
}

func (s *Service) eachDomainAccount(ctx context.Context, domain string, fn func(*model.Account) error) error {
	ids, err := s.store.DomainAccountIDs(ctx, domain)
	if err != nil {
		return fmt.Errorf("core: domain %s accounts: %w", domain, err)
	}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		accts, err := s.store.AccountsByID(ctx, part)
		if err != nil {
			return fmt.Errorf("core: domain %s accounts: %w", domain, err)
		}
		for _, id := range part {
			if a := accts[id]; a != nil {
				if err := fn(a); err != nil {
					return fmt.Errorf("core: domain %s account %d: %w", domain, id, err)
				}
			}
		}
	}
	return nil
}

// RemoveDomainBlock lifts the block of exactly domain (after
// normalising it); none is model.ErrNotFound.
func (s *Service) RemoveDomainBlock(ctx context.Context, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	b, err := s.store.DomainBlockByDomain(ctx, d)
	if err != nil {
		return fmt.Errorf("core: remove domain block: %w", err)
	}
	return s.removeDomainBlock(ctx, b)
}

// RemoveDomainBlockByID lifts the block with id.
func (s *Service) RemoveDomainBlockByID(ctx context.Context, id int64) error {
	b, err := s.store.DomainBlock(ctx, id)
	if err != nil {
		return fmt.Errorf("core: remove domain block: %w", err)
	}
	return s.removeDomainBlock(ctx, b)
}

func (s *Service) removeDomainBlock(ctx context.Context, b *store.DomainBlock) error {
	err := s.store.DeleteDomainBlock(ctx, b.ID)
	s.domains.invalidate()
	if err != nil {
		return fmt.Errorf("core: remove domain block: %w", err)
	}
	if b.Severity == store.SeveritySuspend {
		return s.unsuspendDomain(ctx, b)
	}
	return nil
}

// DomainBlock returns the instance block with id.
func (s *Service) DomainBlock(ctx context.Context, id int64) (*store.DomainBlock, error) {
	b, err := s.store.DomainBlock(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: domain block: %w", err)
	}
	return b, nil
}

// DomainBlocks lists the instance blocks, newest first.
func (s *Service) DomainBlocks(ctx context.Context, p store.Page) (*Listing[*store.DomainBlock], error) {
	list, err := s.store.DomainBlocks(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("core: domain blocks: %w", err)
	}
	l := &Listing[*store.DomainBlock]{Items: list}
	if len(list) > 0 {
		l.Newest, l.Oldest = list[0].ID, list[len(list)-1].ID
	}
	return l, nil
}

// AllDomainBlocks returns every instance block, ordered by domain.
func (s *Service) AllDomainBlocks(ctx context.Context) ([]*store.DomainBlock, error) {
	list, err := s.store.AllDomainBlocks(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("core: domain blocks: %w", err)
	}
	return list, nil
}

// DomainBlockByDomain returns the instance block of exactly domain
// (normalised already).
func (s *Service) DomainBlockByDomain(ctx context.Context, domain string) (*store.DomainBlock, error) {
	b, err := s.store.DomainBlockByDomain(ctx, domain)
	if err != nil {
		return nil, fmt.Errorf("core: domain block: %w", err)
	}
	return b, nil
}
