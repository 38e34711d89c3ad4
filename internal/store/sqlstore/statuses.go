package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/roost-social/roost/internal/model"
)

const statusCols = `s.id, s.account_id, s.uri, s.url, s.text, s.content, s.spoiler_text, s.entities,
	s.sensitive, s.visibility, s.language, s.in_reply_to_id, s.in_reply_to_account_id, s.reblog_of_id,
	s.conversation_id, s.local, s.created_at, s.edited_at, s.deleted_at,
	s.replies_count, s.reblogs_count, s.favourites_count`

// entities is what a status refers to, sealed as one JSON value: the
// mention list (who is addressed is personal) and the tags (the tag index
// holds only blind hashes, so reads need the tags from here).
type entities struct {
	Mentions []model.Mention `json:"m,omitempty"`
	Tags     []string        `json:"t,omitempty"`
	Emojis   []model.Emoji   `json:"e,omitempty"`
}

// scanStatus reads statusCols, after the extra leading columns pre, and
// opens the sealed fields under the author's key.
func (s *Store) scanStatus(ctx context.Context, sc rowScanner, pre ...any) (*model.Status, error) {
	var st model.Status
	var text, content, spoiler, ents []byte
	dest := append(pre, &st.ID, &st.AccountID, &st.URI, &st.URL, &text, &content, &spoiler, &ents,
		&st.Sensitive, &st.Visibility, &st.Language, idCol{&st.InReplyToID}, idCol{&st.InReplyToAccountID},
		idCol{&st.ReblogOfID}, &st.ConversationID, &st.Local, timeCol{&st.CreatedAt},
		nullTimeCol{&st.EditedAt}, nullTimeCol{&st.DeletedAt},
		&st.RepliesCount, &st.ReblogsCount, &st.FavouritesCount)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	c := s.cipher(ctx, st.AccountID, "statuses", st.ID)
	st.Text = c.openString("text", text)
	st.Content = c.openString("content", content)
	st.SpoilerText = c.openString("spoiler_text", spoiler)
	var e entities
	c.openJSON("entities", ents, &e)
	st.Mentions, st.Tags, st.Emojis = e.Mentions, e.Tags, e.Emojis
	return &st, c.err
}

// statusList runs a query over statusCols.
func (s *Store) statusList(ctx context.Context, q string, a args, rev bool) ([]*model.Status, error) {
	rows, err := s.conn().query(ctx, q, a...)
	out, err := collect(rows, err, func(r rowScanner) (*model.Status, error) { return s.scanStatus(ctx, r) })
	if rev {
		reverse(out)
	}
	return out, err
}

// sealedStatus is a status's personal fields as ciphertexts.
type sealedStatus struct{ text, content, spoiler, entities []byte }

// sealStatus seals st's fields under its author's keys of class.
func (s *Store) sealStatus(ctx context.Context, st *model.Status, class string) (sealedStatus, error) {
	c := s.cipher(ctx, st.AccountID, "statuses", st.ID).in(class)
	return sealedStatus{
		text:     c.sealString("text", st.Text),
		content:  c.sealString("content", st.Content),
		spoiler:  c.sealString("spoiler_text", st.SpoilerText),
		entities: c.sealJSON("entities", entities{Mentions: st.Mentions, Tags: st.Tags, Emojis: st.Emojis}),
	}, c.err
}

// normalizeTags lower-cases tags, drops '#', empties and duplicates.
func normalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimPrefix(t, "#"))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func (s *Store) prepareStatus(st *model.Status) {
	st.CreatedAt = s.orNow(st.CreatedAt)
	st.ID = newID(st.ID, st.CreatedAt)
	st.Tags = normalizeTags(st.Tags)
}

// CreateStatus inserts st with its mentions and tags and counts it.
func (s *Store) CreateStatus(ctx context.Context, st *model.Status) error {
	s.prepareStatus(st)
	sealed, err := s.sealStatus(ctx, st, statusClass(st.Local, st.Visibility))
	if err == nil {
		err = s.tx(ctx, func(c conn) error { return s.insertStatus(ctx, c, st, sealed) })
	}
	return s.fail("create status", err)
}

// CreateStatuses inserts many statuses in one transaction, for imports and
// benchmark fixtures. Each is handled as CreateStatus would.
func (s *Store) CreateStatuses(ctx context.Context, list []*model.Status) error {
	sealed := make([]sealedStatus, len(list))
	for i, st := range list {
		s.prepareStatus(st)
		var err error
		if sealed[i], err = s.sealStatus(ctx, st, statusClass(st.Local, st.Visibility)); err != nil {
			return s.fail("create statuses", err)
		}
	}
	err := s.tx(ctx, func(c conn) error {
		for i, st := range list {
			if err := s.insertStatus(ctx, c, st, sealed[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("create statuses", err)
}

func (s *Store) insertStatus(ctx context.Context, c conn, st *model.Status, x sealedStatus) error {
	_, err := c.exec(ctx, `INSERT INTO statuses (id, account_id, uri, url, text, content, spoiler_text,
		entities, sensitive, visibility, language, in_reply_to_id, in_reply_to_account_id, reblog_of_id,
		conversation_id, local, created_at, edited_at, deleted_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		st.ID, st.AccountID, st.URI, st.URL, nullBytes(x.text), nullBytes(x.content), nullBytes(x.spoiler),
		nullBytes(x.entities), st.Sensitive, string(st.Visibility), st.Language, nullID(st.InReplyToID),
		nullID(st.InReplyToAccountID), nullID(st.ReblogOfID), st.ConversationID, st.Local,
		micros(st.CreatedAt), nullMicros(st.EditedAt), nullMicros(st.DeletedAt))
	if err != nil {
		return err
	}
	if err := s.insertRefs(ctx, c, st); err != nil {
		return err
	}
	return s.countNewStatus(ctx, c, st)
}

// insertRefs writes the clear indexes of st's mentions (account IDs, for
// direct visibility) and tags (blind hashes only).
func (s *Store) insertRefs(ctx context.Context, c conn, st *model.Status) error {
	var a args
	var vals []string
	sid := a.add(st.ID)
	seen := map[int64]bool{}
	for _, m := range st.Mentions {
		if m.AccountID != 0 && !seen[m.AccountID] {
			seen[m.AccountID] = true
			vals = append(vals, "("+sid+", "+a.add(m.AccountID)+")")
		}
	}
	if len(vals) > 0 {
		if _, err := c.exec(ctx, `INSERT INTO status_mentions (status_id, account_id) VALUES `+strings.Join(vals, ", "), a...); err != nil {
			return err
		}
	}
	return s.insertTags(ctx, c, st)
}

// tagHash is the blind index of a tag: the tag table never holds a tag.
func (s *Store) tagHash(tag string) []byte {
	return s.v.Blind("tag", strings.ToLower(strings.TrimPrefix(tag, "#")))
}

func (s *Store) insertTags(ctx context.Context, c conn, st *model.Status) error {
	if len(st.Tags) == 0 {
		return nil
	}
	var a args
	var vals []string
	sid := a.add(st.ID)
	for _, t := range st.Tags {
		vals = append(vals, "("+a.add(s.tagHash(t))+", "+sid+")")
	}
	_, err := c.exec(ctx, `INSERT INTO status_tags (tag_hash, status_id) VALUES `+strings.Join(vals, ", "), a...)
	return err
}

// countedVisibility is what a status's author's statuses_count and
// last_status_at count: everything but direct messages, as Mastodon does, so
// a profile does not betray private conversations.
const countedVisibility = `'public', 'unlisted', 'private'`

func counted(st *model.Status) bool { return st.Visibility != model.VisibilityDirect }

// distributable statuses are the replies a parent's replies_count counts.
func distributable(st *model.Status) bool {
	return st.Visibility == model.VisibilityPublic || st.Visibility == model.VisibilityUnlisted
}

// countNewStatus counts st where it is counted: first the status it boosts
// or replies to, then its author, the order DeleteStatus locks them in.
func (s *Store) countNewStatus(ctx context.Context, c conn, st *model.Status) error {
	if st.ReblogOfID != 0 {
		if _, err := c.exec(ctx, `UPDATE statuses SET reblogs_count = reblogs_count + 1 WHERE id = $1`, st.ReblogOfID); err != nil {
			return err
		}
	}
	if st.InReplyToID != 0 && distributable(st) {
		if _, err := c.exec(ctx, `UPDATE statuses SET replies_count = replies_count + 1 WHERE id = $1`, st.InReplyToID); err != nil {
			return err
		}
	}
	if !counted(st) {
		return nil
	}
	_, err := c.exec(ctx, `UPDATE accounts SET statuses_count = statuses_count + 1,
		last_status_at = CASE WHEN last_status_at IS NULL OR last_status_at < $2 THEN $2 ELSE last_status_at END
		WHERE id = $1`, st.AccountID, micros(st.CreatedAt))
	return err
}

func (s *Store) Status(ctx context.Context, id int64) (*model.Status, error) {
	r := s.conn().row(ctx, `SELECT `+statusCols+` FROM statuses s WHERE s.id = $1`, id)
	st, err := s.scanStatus(ctx, r)
	return st, s.fail(opID("status", id), err)
}

func (s *Store) StatusesByID(ctx context.Context, ids []int64) (map[int64]*model.Status, error) {
	out := make(map[int64]*model.Status, len(ids))
	for _, part := range chunks(ids) {
		var a args
		q := `SELECT ` + statusCols + ` FROM statuses s WHERE s.id IN (` + a.list(part) + `)`
		list, err := s.statusList(ctx, q, a, false)
		if err != nil {
			return nil, s.fail("statuses by id", err)
		}
		for _, st := range list {
			out[st.ID] = st
		}
	}
	return out, nil
}

func (s *Store) ReblogBy(ctx context.Context, accountID, statusID int64) (*model.Status, error) {
	r := s.conn().row(ctx, `SELECT `+statusCols+` FROM statuses s
		WHERE s.account_id = $1 AND s.reblog_of_id = $2`, accountID, statusID)
	st, err := s.scanStatus(ctx, r)
	return st, s.fail("reblog", err)
}
