package sqlstore

import (
	"context"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Every timeline query binds the viewer as $1 (0 when signed out) and the
// current time as $2 (for mute expiry), and reads statuses as s. The
// fragments below are the one statement of who sees what; the methods only
// choose which statuses are candidates.

// hiddenAuthors is everyone whose statuses the viewer never sees: accounts
// the viewer blocks, is blocked by or mutes, accounts on domains the viewer
// blocks, and suspended accounts.
const hiddenAuthors = `SELECT target_id FROM blocks WHERE account_id = $1
	UNION SELECT account_id FROM blocks WHERE target_id = $1
	UNION SELECT target_id FROM mutes WHERE account_id = $1 AND (expires_at IS NULL OR expires_at > $2)
	UNION ` + domainBlockedBy + `
	UNION SELECT id FROM accounts WHERE suspended_at IS NOT NULL`

// followed is the accounts the viewer follows; pending requests are not
// follows.
const followed = `SELECT target_id FROM follows WHERE account_id = $1 AND pending = FALSE`

// followedWithBoosts is the followed accounts whose boosts the viewer wants.
const followedWithBoosts = followed + ` AND reblogs = TRUE`

// mentionsViewer is true when status x mentions the viewer.
func mentionsViewer(x string) string {
	return `EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = ` + x + `.id AND m.account_id = $1)`
}

// addressed is true when status x is followers-only or direct and mentions
// the viewer: a mention lets either reach its reader, as in Mastodon. The
// visibility test comes first so that other statuses are passed without
// reading the mentions.
func addressed(x string) string {
	return `(` + x + `.visibility IN ('private', 'direct') AND ` + mentionsViewer(x) + `)`
}

// canSee is the visibility rule for status x: the viewer's own statuses,
// public and unlisted ones, followers-only ones of accounts the viewer
// follows, and followers-only and direct ones that mention the viewer.
func canSee(x string) string {
	return `(` + x + `.account_id = $1
		OR ` + x + `.visibility IN ('public', 'unlisted')
		OR (` + x + `.visibility = 'private' AND ` + x + `.account_id IN (` + followed + `))
		OR ` + addressed(x) + `)`
}

// shown leaves out hidden authors and boosts of statuses the viewer may not
// see or whose author is hidden. The boost check is a scalar subquery, not
// EXISTS, because PostgreSQL may turn an EXISTS into a hash of every
// visible status; a scalar subquery stays a per-boost primary key lookup.
var shown = `s.account_id NOT IN (` + hiddenAuthors + `)
	AND (s.reblog_of_id IS NULL OR (SELECT 1 FROM statuses o WHERE o.id = s.reblog_of_id
		AND o.account_id NOT IN (` + hiddenAuthors + `) AND ` + canSee("o") + `) = 1)`

// homeWhere: the viewer's own statuses and boosts; followed accounts'
// non-direct statuses, their boosts where the follow shows boosts, and
// their direct statuses that mention the viewer. As on Mastodon, an
// account the viewer does not follow reaches the home timeline in no way,
// mentions included (they are notifications): a stranger cannot push
// into someone's home.
var homeWhere = `(s.account_id = $1
	OR (s.account_id IN (` + followed + `)
		AND ((s.visibility <> 'direct' AND (s.reblog_of_id IS NULL OR s.account_id IN (` + followedWithBoosts + `)))
			OR ` + addressed("s") + `)))
	AND ` + shown

// publicWhere: public statuses that are not boosts, leaving out replies to
// someone else's followers-only or direct status.
var publicWhere = `s.visibility = 'public' AND s.reblog_of_id IS NULL AND ` + shown + `
	AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id
		OR NOT EXISTS (SELECT 1 FROM statuses p WHERE p.id = s.in_reply_to_id
			AND p.visibility IN ('private', 'direct')))`

// timeline runs a listing of statuses with the viewer and clock bound.
func (s *Store) timeline(ctx context.Context, op string, a args, from, where string, key string, p store.Page) ([]*model.Status, error) {
	bounds, tail, rev := paging(&a, key, p)
	q := `SELECT ` + statusCols + ` FROM ` + from + ` WHERE ` + where + bounds + tail
	out, err := s.statusList(ctx, q, a, rev)
	return out, s.fail(op, err)
}

// feed is the statuses table as the newest-first walks read it.
func (s *Store) feed() string { return "statuses s " + s.d.FeedIndexHint }

func (s *Store) viewerArgs(viewerID int64) args { return args{viewerID, micros(s.now())} }

// HomeTimeline walks all statuses newest first (by the statuses_feed index,
// which holds what the visibility rules read) and keeps the rows the
// viewer's home shows. Each status walked past costs well under a
// microsecond, so a page is fast while followed accounts wrote more than a
// small fraction of recent statuses; the benchmarks' "sparse" case (0.5%)
// measures the slow end.
func (s *Store) HomeTimeline(ctx context.Context, viewerID int64, p store.Page) ([]*model.Status, error) {
	return s.timeline(ctx, "home timeline", s.viewerArgs(viewerID), s.feed(), homeWhere, "s.id", p)
}

// localityWhere narrows to local or remote authors as Mastodon does: both
// flags set is no filter.
func localityWhere(o store.TimelineOptions) string {
	switch {
	case o.Local && !o.Remote:
		return ` AND s.account_id IN (SELECT id FROM accounts WHERE domain = '')`
	case o.Remote && !o.Local:
		return ` AND s.account_id IN (SELECT id FROM accounts WHERE domain <> '')`
	}
	return ""
}

// PublicTimeline: with OnlyMedia it is empty, since statuses carry no media
// yet.
func (s *Store) PublicTimeline(ctx context.Context, viewerID int64, o store.TimelineOptions, p store.Page) ([]*model.Status, error) {
	if o.OnlyMedia {
		return nil, nil
	}
	return s.timeline(ctx, "public timeline", s.viewerArgs(viewerID), s.feed(), publicWhere+localityWhere(o), "s.id", p)
}

// TagTimeline finds the tag by its blind hash, driving from the tag index.
// With OnlyMedia it is empty, since statuses carry no media yet.
func (s *Store) TagTimeline(ctx context.Context, viewerID int64, tag string, o store.TimelineOptions, p store.Page) ([]*model.Status, error) {
	if o.OnlyMedia {
		return nil, nil
	}
	a := s.viewerArgs(viewerID)
	where := `t.tag_hash = ` + a.add(s.tagHash(tag)) + ` AND ` + publicWhere + localityWhere(o)
	return s.timeline(ctx, "tag timeline", a, "status_tags t JOIN statuses s ON s.id = t.status_id", where, "t.status_id", p)
}

// AccountStatuses: with OnlyMedia it is empty, since statuses carry no media
// yet. ExcludeReplies keeps replies to the account itself (threads), as
// Mastodon does.
func (s *Store) AccountStatuses(ctx context.Context, viewerID, accountID int64, f store.StatusFilter, p store.Page) ([]*model.Status, error) {
	if f.OnlyMedia {
		return nil, nil
	}
	a := s.viewerArgs(viewerID)
	where := `s.account_id = ` + a.add(accountID) + ` AND ` + canSee("s") + ` AND ` + shown
	if f.Pinned {
		where += ` AND s.id IN (SELECT status_id FROM pins WHERE account_id = s.account_id)`
	}
	if f.ExcludeReplies {
		where += ` AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)`
	}
	if f.ExcludeReblogs {
		where += ` AND s.reblog_of_id IS NULL`
	}
	if f.Tag != "" {
		where += ` AND s.id IN (SELECT status_id FROM status_tags WHERE tag_hash = ` + a.add(s.tagHash(f.Tag)) + `)`
	}
	return s.timeline(ctx, "account statuses", a, "statuses s", where, "s.id", p)
}
