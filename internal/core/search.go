package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// Search types, as Mastodon's type parameter names them; "" is all.
const (
	SearchAccountsType = "accounts"
	SearchHashtagsType = "hashtags"
	SearchStatusesType = "statuses"
)

// SearchQuery is a /api/v2/search request.
type SearchQuery struct {
	Q    string
	Type string
	// Resolve looks handles and URLs up on other servers; only signed-in
	// callers may, as in Mastodon.
	Resolve   bool
	Following bool
	Limit     int
	Offset    int
}

// SearchResults are what a search found. Statuses are found by URL only
// (no full-text search).
type SearchResults struct {
	Accounts []*model.Account
	Hashtags []string
	Statuses []*StatusView
}

// Search finds accounts by username prefix, by handle ("user@domain")
// or by actor URL, a status by its URL, and a hashtag by its exact name. With Resolve, and a
// signed-in viewer, unknown handles and URLs are fetched from their
// servers; a lookup that fails there finds nothing rather than an error.
func (s *Service) Search(ctx context.Context, a *Auth, q SearchQuery) (*SearchResults, error) {
	res := &SearchResults{Accounts: []*model.Account{}, Hashtags: []string{}, Statuses: []*StatusView{}}
	term := strings.TrimSpace(q.Q)
	if term == "" || hasNUL(term) {
		return res, nil
	}
	if (q.Type == "" || q.Type == SearchStatusesType) && q.Offset == 0 && isHTTPURL(term) {
		sts, err := s.searchStatusURL(ctx, a.ViewerID(), term, q.Resolve && a.ViewerID() != 0)
		if err != nil {
			return nil, err
		}
		res.Statuses = sts
	}
	// A URL that named a status names no account: no second fetch.
	if (q.Type == "" || q.Type == SearchAccountsType) && len(res.Statuses) == 0 {
		accts, err := s.searchAccounts(ctx, a, term, q)
		if err != nil {
			return nil, err
		}
		res.Accounts = accts
	}
	if (q.Type == "" || q.Type == SearchHashtagsType) && q.Offset == 0 {
		name := strings.TrimPrefix(term, "#")
		if tags := text.ParseTags("#" + name); len(tags) == 1 && strings.EqualFold(tags[0], name) {
			res.Hashtags = append(res.Hashtags, strings.ToLower(name))
		}
	}
	return res, nil
}

// searchAccounts answers the accounts part of a search.
func (s *Service) searchAccounts(ctx context.Context, a *Auth, term string, q SearchQuery) ([]*model.Account, error) {
	viewerID := a.ViewerID()
	resolve := q.Resolve && viewerID != 0
	var found *model.Account
	var err error
	switch {
	case strings.HasPrefix(term, "https://") || strings.HasPrefix(term, "http://"):
		if resolve {
			found, err = s.ResolveActor(ctx, term)
		} else {
			found, err = s.store.AccountByURI(ctx, term)
		}
	case isHandle(strings.TrimPrefix(term, "@")):
		name, domain := s.splitAcct(term)
		if domain != "" && resolve {
			found, err = s.ResolveAcct(ctx, name+"@"+domain)
		} else {
			found, err = s.store.AccountByUsername(ctx, name, domain)
		}
	default:
		return s.SearchAccounts(ctx, viewerID, term, q.Following, q.Limit, q.Offset)
	}
	if errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("core: search: %w", err)
	}
	if err != nil || q.Offset > 0 {
		// Not found here, or a remote server that failed: nothing found.
		return []*model.Account{}, nil
	}
	return s.shownToViewer(ctx, viewerID, found, q.Following)
}

// shownToViewer returns [acct] unless the viewer may not see it, blocks it
// or is blocked by it, or (following) does not follow it.
func (s *Service) shownToViewer(ctx context.Context, viewerID int64, acct *model.Account, following bool) ([]*model.Account, error) {
	if s.checkVisible(ctx, viewerID, acct) != nil {
		return []*model.Account{}, nil
	}
	if viewerID != 0 && acct.ID != viewerID {
		rels, err := s.store.Relationships(ctx, viewerID, []int64{acct.ID})
		if err != nil {
			return nil, fmt.Errorf("core: search: %w", err)
		}
		if r := rels[0]; r.Blocking || r.BlockedBy || (following && !r.Following) {
			return []*model.Account{}, nil
		}
	}
	return []*model.Account{acct}, nil
}

// isHandle reports whether t is "user@domain".
func isHandle(t string) bool {
	name, domain, ok := strings.Cut(t, "@")
	return ok && name != "" && domain != "" && !strings.ContainsAny(t, " /")
}
