package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// What instance domain blocks do besides suspending, as Mastodon does it:
//
//   - silence ("limit"): the domain's accounts are left out of the public,
//     local, federated and hashtag timelines, threads and account search
//     for viewers who do not follow them; they notify a local account only
//     if it follows them (mentions included); and their follow of an
//     unlocked local account is a request. The home timeline needs no
//     check: it holds followed accounts' statuses only, and boosts by
//     followed accounts of silenced posts stay there, as a single status
//     or a profile opens as usual (Mastodon's limits do not reach these
//     "organic" paths).
//   - reject_media: attachments of their posts are dropped when a post is
//     stored or edited (Roost keeps no avatars, headers or emoji of remote
//     accounts, so attachments are all there is).
//
// The checks are made here, from the in-memory policy (DomainPolicy), on
// the page the store returned: the store's queries know nothing of
// instance blocks. A page of a public timeline can therefore come back
// short, even empty, while a silenced domain floods it; its paging links
// still lead on (Listing keys are the store's), as for any other check
// core makes after the store.

// silencedAccount reports whether a is a remote account of a silenced
// domain.
func (s *Service) silencedAccount(ctx context.Context, a *model.Account) (bool, error) {
	if a == nil || a.Local() {
		return false, nil
	}
	p, err := s.DomainPolicy(ctx, a.Domain)
	if err != nil {
		return false, err
	}
	return p.Silenced(), nil
}

// silencedAmong returns the IDs of the accounts of as on silenced domains,
// other than viewerID's own.
func (s *Service) silencedAmong(ctx context.Context, viewerID int64, as []*model.Account) (map[int64]bool, error) {
	out := map[int64]bool{}
	byDomain := map[string]bool{}
	for _, a := range as {
		if a == nil || a.ID == viewerID || a.Local() || out[a.ID] {
			continue
		}
		silenced, seen := byDomain[a.Domain]
		if !seen {
			var err error
			if silenced, err = s.silencedAccount(ctx, a); err != nil {
				return nil, err
			}
			byDomain[a.Domain] = silenced
		}
		if silenced {
			out[a.ID] = true
		}
	}
	return out, nil
}

// hideSilenced drops from vs the statuses whose author is on a silenced
// domain and not followed by viewerID (a signed-out viewer follows no
// one). A boost is judged by its booster: a followed account's boost of a
// silenced post stays, as in Mastodon.
func (s *Service) hideSilenced(ctx context.Context, viewerID int64, vs []*StatusView) ([]*StatusView, error) {
	authors := make([]*model.Account, len(vs))
	for i, v := range vs {
		authors[i] = v.Account
	}
	silenced, err := s.silencedAmong(ctx, viewerID, authors)
	if err != nil || len(silenced) == 0 {
		return vs, err
	}
	rels, err := s.relationsOf(ctx, viewerID, keysOf(silenced))
	if err != nil {
		return nil, err
	}
	out := vs[:0:0]
	for _, v := range vs {
		if !silenced[v.Status.AccountID] || rels.following(v.Status.AccountID) {
			out = append(out, v)
		}
	}
	return out, nil
}

// hideSilencedListing applies hideSilenced to a listing's items; its
// paging keys stay.
func (s *Service) hideSilencedListing(ctx context.Context, viewerID int64, l *Listing[*StatusView], err error) (*Listing[*StatusView], error) {
	if err != nil {
		return nil, err
	}
	if l.Items, err = s.hideSilenced(ctx, viewerID, l.Items); err != nil {
		return nil, err
	}
	return l, nil
}

// threadFilter is what a thread leaves out besides what views does:
// statuses by accounts on domains viewerID blocks (Mastodon's StatusFilter
// for threads), and those of silenced accounts viewerID does not follow.
// A single status opened directly is still shown, as in Mastodon.
func (s *Service) threadFilter(ctx context.Context, viewerID int64, vs []*StatusView) ([]*StatusView, error) {
	vs, err := s.hideSilenced(ctx, viewerID, vs)
	if err != nil || viewerID == 0 {
		return vs, err
	}
	var remote []int64
	for _, v := range vs {
		if v.Account != nil && !v.Account.Local() {
			remote = append(remote, v.Account.ID)
		}
	}
	if len(remote) == 0 {
		return vs, nil
	}
	rels, err := s.relationsOf(ctx, viewerID, remote)
	if err != nil {
		return nil, err
	}
	out := vs[:0:0]
	for _, v := range vs {
		if r := rels[v.Status.AccountID]; r == nil || !r.DomainBlocking {
			out = append(out, v)
		}
	}
	return out, nil
}

// anySilenced reports whether the instance silences any domain, so that
// the common case costs no account load.
func (s *Service) anySilenced(ctx context.Context) (bool, error) {
	rules, err := s.domainRules(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range rules {
		if p.Silenced() {
			return true, nil
		}
	}
	return false, nil
}

// silencedStranger reports whether a is on a silenced domain and the
// viewer, standing to it as r, does not follow it: account search leaves
// such accounts out, while a lookup of the exact handle or URL still finds
// them (Mastodon: a limited account "can still be found via search").
func (s *Service) silencedStranger(ctx context.Context, a *model.Account, r *model.Relationship) (bool, error) {
	if r != nil && r.Following {
		return false, nil
	}
	return s.silencedAccount(ctx, a)
}

// keysOf returns the keys of m.
func keysOf(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	return out
}

// dropSilencedNotices removes the notices whose recipient does not follow
// fromID when fromID is on a silenced domain: a limited account reaches
// only its followers, as Mastodon's notifications do.
func (s *Service) dropSilencedNotices(ctx context.Context, fromID int64, notices []notice) ([]notice, error) {
	if some, err := s.anySilenced(ctx); err != nil || !some {
		return notices, err
	}
	accts, err := s.store.AccountsByID(ctx, []int64{fromID})
	if err != nil {
		return nil, fmt.Errorf("core: notification sender: %w", err)
	}
	silenced, err := s.silencedAccount(ctx, accts[fromID])
	if err != nil || !silenced {
		return notices, err
	}
	followers, err := s.store.FollowerIDs(ctx, fromID)
	if err != nil {
		return nil, fmt.Errorf("core: notification sender followers: %w", err)
	}
	follows := make(map[int64]bool, len(followers))
	for _, id := range followers {
		follows[id] = true
	}
	out := notices[:0:0]
	for _, n := range notices {
		if follows[n.to] {
			out = append(out, n)
		}
	}
	return out, nil
}

// followNeedsApproval reports whether a follow of target by follower
// must be a request: target is locked, or follower is on a silenced
// domain (Mastodon makes limited accounts ask).
func (s *Service) followNeedsApproval(ctx context.Context, follower, target *model.Account) (bool, error) {
	if target.Locked {
		return true, nil
	}
	return s.silencedAccount(ctx, follower)
}

// withoutRejectedMedia returns obj without its attachments and custom
// emoji when obj's
// origin (its id's host) is under a block with reject_media; obj itself is
// not changed.
func (s *Service) withoutRejectedMedia(ctx context.Context, obj *ap.Object) (*ap.Object, error) {
	if len(obj.Attachment) == 0 && !hasEmoji(obj) {
		return obj, nil
	}
	u, err := s.remoteURL(obj.ID)
	if err != nil {
		return obj, nil // not a remote object: nothing to reject
	}
	p, err := s.DomainPolicy(ctx, u.Host)
	if err != nil {
		return nil, fmt.Errorf("core: media policy: %w", err)
	}
	if !p.RejectMedia && !p.Suspended() {
		return obj, nil
	}
	c := *obj
	c.Attachment = nil
	c.Tag = nil
	for _, t := range obj.Tag {
		if t.Type != ap.TypeEmoji {
			c.Tag = append(c.Tag, t)
		}
	}
	return &c, nil
}

// hasEmoji reports whether obj carries an Emoji tag.
func hasEmoji(obj *ap.Object) bool {
	for _, t := range obj.Tag {
		if t.Type == ap.TypeEmoji {
			return true
		}
	}
	return false
}
