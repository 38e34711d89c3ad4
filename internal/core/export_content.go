package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// ExportContent is everything an export archive holds about one local
// account, read as the account itself sees it.
type ExportContent struct {
	Account *model.Account
	// Statuses are the account's own statuses of every visibility, and
	// its boosts (with Reblog set), oldest first.
	Statuses []*FederatedStatus
	// Likes and Bookmarks are the statuses it favourited and bookmarked,
	// newest first, with their authors.
	Likes, Bookmarks []StatusRef
	Follows          []ExportFollow
	Blocks           []*model.Account
	Mutes            []ExportMute
	// DomainBlocks are the domains it hides, newest first.
	DomainBlocks []string
}

// StatusRef is a status with its author, enough to name it.
type StatusRef struct {
	Status *model.Status
	Author *model.Account
}

// ExportFollow is an account followed, with the follow's options.
type ExportFollow struct {
	Account *model.Account
	Reblogs bool
	Notify  bool
}

// ExportMute is a muted account and whether the mute hides its
// notifications.
type ExportMute struct {
	Account           *model.Account
	HideNotifications bool
}

// exportPage is how many rows one read of an export takes: the store's
// largest page.
const exportPage = 40

// ExportContent reads what an export of local account accountID holds.
// progress, when not nil, is told how far it got in percent (0 to 90: the
// rest is the archive's to report); an error from it stops the reading.
func (s *Service) ExportContent(ctx context.Context, accountID int64, progress func(percent int) error) (*ExportContent, error) {
	if progress == nil {
		progress = func(int) error { return nil }
	}
	acc, err := s.store.Account(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: export content: %w", err)
	}
	if !acc.Local() {
		return nil, fmt.Errorf("core: export content: %w", model.ErrNotFound)
	}
	c := &ExportContent{Account: acc}
	if c.Statuses, err = s.exportStatuses(ctx, acc, progress); err != nil {
		return nil, err
	}
	steps := []func(context.Context, *ExportContent) error{
		s.exportLikes, s.exportBookmarks, s.exportFollows, s.exportBlocks, s.exportMutes, s.exportDomainBlocks,
	}
	for i, step := range steps {
		if err := step(ctx, c); err != nil {
			return nil, err
		}
		if err := progress(70 + 20*(i+1)/len(steps)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// exportStatuses reads the account's statuses and boosts, newest first a
// page at a time, and returns them oldest first, reporting up to 70%.
func (s *Service) exportStatuses(ctx context.Context, acc *model.Account, progress func(int) error) ([]*FederatedStatus, error) {
	var out []*FederatedStatus
	p := store.Page{Limit: exportPage}
	for {
		sts, err := s.store.AccountStatuses(ctx, acc.ID, acc.ID, store.StatusFilter{}, p)
		if err != nil {
			return nil, fmt.Errorf("core: export statuses: %w", err)
		}
		if len(sts) == 0 {
			break
		}
		fs, err := s.exportViews(ctx, acc.ID, sts)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
		p.MaxID = sts[len(sts)-1].ID
		if err := progress(70 * min(len(out), acc.StatusesCount) / max(acc.StatusesCount, 1)); err != nil {
			return nil, err
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// exportViews is federatedViews for the author itself: every visibility,
// boosts included.
func (s *Service) exportViews(ctx context.Context, accountID int64, sts []*model.Status) ([]*FederatedStatus, error) {
	return s.viewsWithParents(ctx, accountID, sts, func(st *model.Status) bool { return st.AccountID == accountID })
}

// keyedAll reads a keyed listing to its end.
func keyedAll[T any](list func(p store.Page) ([]store.Keyed[T], error)) ([]T, error) {
	var out []T
	p := store.Page{Limit: exportPage}
	for {
		rows, err := list(p)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return out, nil
		}
		for _, r := range rows {
			out = append(out, r.Value)
		}
		p.MaxID = rows[len(rows)-1].Key
	}
}

func (s *Service) exportLikes(ctx context.Context, c *ExportContent) (err error) {
	c.Likes, err = s.statusRefs(ctx, func(p store.Page) ([]store.Keyed[*model.Status], error) {
		return s.store.Favourites(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export favourites: %w", err)
	}
	return nil
}

func (s *Service) exportBookmarks(ctx context.Context, c *ExportContent) (err error) {
	c.Bookmarks, err = s.statusRefs(ctx, func(p store.Page) ([]store.Keyed[*model.Status], error) {
		return s.store.Bookmarks(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export bookmarks: %w", err)
	}
	return nil
}

// statusRefs reads a status listing to its end, with the authors.
func (s *Service) statusRefs(ctx context.Context, list func(p store.Page) ([]store.Keyed[*model.Status], error)) ([]StatusRef, error) {
	sts, err := keyedAll(list)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, st := range sts {
		ids = append(ids, st.AccountID)
	}
	authors, err := s.store.AccountsByID(ctx, uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	out := make([]StatusRef, 0, len(sts))
	for _, st := range sts {
		if a := authors[st.AccountID]; a != nil {
			out = append(out, StatusRef{Status: st, Author: a})
		}
	}
	return out, nil
}

func (s *Service) exportFollows(ctx context.Context, c *ExportContent) error {
	accs, err := keyedAll(func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return s.store.Following(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export follows: %w", err)
	}
	for _, a := range accs {
		f, err := s.store.Follow(ctx, c.Account.ID, a.ID)
		if err != nil {
			return fmt.Errorf("core: export follows: %w", err)
		}
		c.Follows = append(c.Follows, ExportFollow{Account: a, Reblogs: f.Reblogs, Notify: f.Notify})
	}
	return nil
}

func (s *Service) exportBlocks(ctx context.Context, c *ExportContent) (err error) {
	c.Blocks, err = keyedAll(func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return s.store.Blocks(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export blocks: %w", err)
	}
	return nil
}

func (s *Service) exportMutes(ctx context.Context, c *ExportContent) error {
	accs, err := keyedAll(func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return s.store.Mutes(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export mutes: %w", err)
	}
	ids := make([]int64, len(accs))
	for i, a := range accs {
		ids[i] = a.ID
	}
	rels, err := s.store.Relationships(ctx, c.Account.ID, ids)
	if err != nil {
		return fmt.Errorf("core: export mutes: %w", err)
	}
	for i, a := range accs {
		c.Mutes = append(c.Mutes, ExportMute{Account: a, HideNotifications: i < len(rels) && rels[i].MutingNotifications})
	}
	return nil
}

func (s *Service) exportDomainBlocks(ctx context.Context, c *ExportContent) (err error) {
	c.DomainBlocks, err = keyedAll(func(p store.Page) ([]store.Keyed[string], error) {
		return s.store.UserDomainBlocks(ctx, c.Account.ID, p)
	})
	if err != nil {
		return fmt.Errorf("core: export domain blocks: %w", err)
	}
	return nil
}
