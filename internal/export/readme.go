package export

import (
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/core"
)

// readme is README.txt: what the archive holds, and what it does not.
func readme(c *core.ExportContent, domain string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "Archive of @%s@%s\n\n", c.Account.Username, domain)
	b.WriteString(`This archive is laid out like Mastodon's, so tools made for Mastodon
archives can read it. It holds every post you wrote here, direct and
followers-only ones included: keep it somewhere safe.

actor.json              your profile, as the server publishes it (ActivityPub)
outbox.json             your posts and boosts, oldest first: each the Create or
                        Announce activity the server published (ActivityPub)
likes.json              the posts you favourited, by their ids
bookmarks.json          the posts you bookmarked, by their ids
following_accounts.csv  the accounts you follow (Mastodon's import format)
blocked_accounts.csv    the accounts you block
muted_accounts.csv      the accounts you mute
blocked_domains.csv     the servers you hide
bookmarks.csv           your bookmarks, for Mastodon's import
lists.csv               your lists: empty, since Roost has no lists yet

Media: none. Roost stores no media files yet (no uploads, avatars or
headers), so this archive has no media folder.

Not in this archive: your email address, password hash, sign-in sessions and
notifications. GET /api/v1/roost/inventory lists everything the server holds
about you, who can read it and when it goes.

The server deletes this archive a day after you asked for it.
`)
	return []byte(b.String())
}
