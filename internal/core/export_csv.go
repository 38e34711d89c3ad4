package core

import (
	"context"
	"fmt"
	"strconv"

	"github.com/roost-social/roost/internal/model"
)

// CSVKind names one of Mastodon's CSV exports.
type CSVKind string

// The CSV exports, in Mastodon's formats (its Export model), which
// Mastodon's and GoToSocial's imports read.
const (
	CSVFollowing    CSVKind = "following"     // Account address,Show boosts,Notify on new posts,Languages
	CSVBlocks       CSVKind = "blocks"        // one address a line, no header
	CSVMutes        CSVKind = "mutes"         // Account address,Hide notifications
	CSVDomainBlocks CSVKind = "domain_blocks" // one domain a line, no header
	CSVLists        CSVKind = "lists"         // list title,address; empty: Roost has no lists yet
)

// Records returns the rows of CSV export kind, header first where
// Mastodon writes one. domain is this server's, which local accounts'
// addresses carry, as Mastodon writes them.
func (c *ExportContent) Records(kind CSVKind, domain string) [][]string {
	address := func(a *model.Account) string {
		if a.Local() {
			return a.Username + "@" + domain
		}
		return a.Acct()
	}
	var rows [][]string
	switch kind {
	case CSVFollowing:
		rows = append(rows, []string{"Account address", "Show boosts", "Notify on new posts", "Languages"})
		for _, f := range c.Follows {
			// Roost has no per-follow language filter: the column is empty.
			rows = append(rows, []string{address(f.Account), strconv.FormatBool(f.Reblogs), strconv.FormatBool(f.Notify), ""})
		}
	case CSVBlocks:
		for _, a := range c.Blocks {
			rows = append(rows, []string{address(a)})
		}
	case CSVMutes:
		rows = append(rows, []string{"Account address", "Hide notifications"})
		for _, m := range c.Mutes {
			rows = append(rows, []string{address(m.Account), strconv.FormatBool(m.HideNotifications)})
		}
	case CSVDomainBlocks:
		for _, d := range c.DomainBlocks {
			rows = append(rows, []string{d})
		}
	}
	return rows
}

// ExportCSV reads only what CSV export kind needs of the calling account
// and returns its records. An unknown kind is model.ErrNotFound.
func (s *Service) ExportCSV(ctx context.Context, a *Auth, kind CSVKind) ([][]string, error) {
	c := &ExportContent{Account: a.Account}
	var read func(context.Context, *ExportContent) error
	switch kind {
	case CSVFollowing:
		read = s.exportFollows
	case CSVBlocks:
		read = s.exportBlocks
	case CSVMutes:
		read = s.exportMutes
	case CSVDomainBlocks:
		read = s.exportDomainBlocks
	case CSVLists:
		read = func(context.Context, *ExportContent) error { return nil }
	default:
		return nil, fmt.Errorf("core: export %q: %w", kind, model.ErrNotFound)
	}
	if err := read(ctx, c); err != nil {
		return nil, err
	}
	return c.Records(kind, s.settings().Domain), nil
}
