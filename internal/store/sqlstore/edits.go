package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"sort"

	"github.com/roost-social/roost/internal/model"
)

// statusAuthor returns the author of status id, the owner of its ciphertexts.
func statusAuthor(ctx context.Context, c conn, id int64) (int64, error) {
	var author int64
	err := c.row(ctx, `SELECT account_id FROM statuses WHERE id = $1`, id).Scan(&author)
	return author, err
}

// statusOwnerClass returns the author of status id and the key class of
// its ciphertexts, which its stored locality and visibility decide (an
// edit changes neither).
func statusOwnerClass(ctx context.Context, c conn, id int64) (int64, string, error) {
	var author int64
	var local bool
	var vis model.Visibility
	err := c.row(ctx, `SELECT account_id, local, visibility FROM statuses WHERE id = $1`, id).Scan(&author, &local, &vis)
	return author, statusClass(local, vis), err
}

// EditStatus saves prev as history and rewrites st. Both are sealed under
// the stored author's key of the stored status's class, whatever
// AccountID, Local or Visibility the caller set.
func (s *Store) EditStatus(ctx context.Context, st *model.Status, prev *model.StatusEdit) error {
	author, class, err := statusOwnerClass(ctx, s.conn(), st.ID)
	if err != nil {
		return s.fail(opID("edit status", st.ID), err)
	}
	st.AccountID, prev.AccountID, prev.StatusID = author, author, st.ID
	prev.CreatedAt = s.orNow(prev.CreatedAt)
	prev.ID = newID(prev.ID, prev.CreatedAt)
	st.Tags = normalizeTags(st.Tags)
	sealed, err := s.sealStatus(ctx, st, class)
	if err != nil {
		return s.fail(opID("edit status", st.ID), err)
	}
	err = s.tx(ctx, func(c conn) error {
		if err := s.insertEdit(ctx, c, prev, class); err != nil {
			return err
		}
		return s.rewriteStatus(ctx, c, st, sealed)
	})
	return s.fail(opID("edit status", st.ID), err)
}

func (s *Store) insertEdit(ctx context.Context, c conn, e *model.StatusEdit, class string) error {
	x := s.cipher(ctx, e.AccountID, "status_edits", e.ID).in(class)
	text, content, spoiler := x.sealString("text", e.Text), x.sealString("content", e.Content), x.sealString("spoiler_text", e.SpoilerText)
	if x.err != nil {
		return x.err
	}
	_, err := c.exec(ctx, `INSERT INTO status_edits (id, status_id, account_id, text, content,
		spoiler_text, sensitive, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, e.StatusID, e.AccountID, nullBytes(text), nullBytes(content), nullBytes(spoiler),
		e.Sensitive, micros(e.CreatedAt))
	return err
}

func (s *Store) rewriteStatus(ctx context.Context, c conn, st *model.Status, x sealedStatus) error {
	_, err := c.exec(ctx, `UPDATE statuses SET text = $2, content = $3, spoiler_text = $4, entities = $5,
		sensitive = $6, language = $7, edited_at = $8 WHERE id = $1`,
		st.ID, nullBytes(x.text), nullBytes(x.content), nullBytes(x.spoiler), nullBytes(x.entities),
		st.Sensitive, st.Language, nullMicros(st.EditedAt))
	if err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM status_mentions WHERE status_id = $1`, `DELETE FROM status_tags WHERE status_id = $1`} {
		if _, err := c.exec(ctx, q, st.ID); err != nil {
			return err
		}
	}
	return s.insertRefs(ctx, c, st)
}

// StatusEdits returns a status's earlier versions, oldest first.
func (s *Store) StatusEdits(ctx context.Context, statusID int64) ([]*model.StatusEdit, error) {
	rows, err := s.conn().query(ctx, `SELECT id, status_id, account_id, text, content, spoiler_text,
		sensitive, created_at FROM status_edits WHERE status_id = $1 ORDER BY id`, statusID)
	out, err := collect(rows, err, func(r rowScanner) (*model.StatusEdit, error) {
		var e model.StatusEdit
		var text, content, spoiler []byte
		if err := r.Scan(&e.ID, &e.StatusID, &e.AccountID, &text, &content, &spoiler,
			&e.Sensitive, timeCol{&e.CreatedAt}); err != nil {
			return nil, err
		}
		x := s.cipher(ctx, e.AccountID, "status_edits", e.ID)
		e.Text, e.Content, e.SpoilerText = x.openString("text", text), x.openString("content", content), x.openString("spoiler_text", spoiler)
		return &e, x.err
	})
	return out, s.fail("status edits", err)
}

// DeleteStatus removes the status and its boosts; favourites, bookmarks,
// pins, mentions, tags, history and notifications go with them (ON DELETE
// CASCADE). The counters change by what the transaction deleted (DELETE
// ... RETURNING), never by what it read before: two deletions of the same
// status at once take it away once and count it once, the second is
// model.ErrNotFound.
//
// With row locks, the rows are locked boosted status first, boost second,
// as a new boost locks them: a boost being undone locks the status it
// boosts before itself; a status being deleted locks itself (keeping new
// boosts out) before its boosts go.
func (s *Store) DeleteStatus(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(c conn) error {
		if err := lockForDelete(ctx, c, id); err != nil {
			return err
		}
		gone, err := deleteStatuses(ctx, c, `DELETE FROM statuses WHERE reblog_of_id = $1`, id)
		if err != nil {
			return err
		}
		self, err := deleteStatuses(ctx, c, `DELETE FROM statuses WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if len(self) == 0 {
			return sql.ErrNoRows
		}
		if err := uncountThread(ctx, c, self[0]); err != nil {
			return err
		}
		return uncountAuthors(ctx, c, append(gone, self...))
	})
	return s.fail(opID("delete status", id), err)
}

// lockForDelete takes the row locks DeleteStatus needs before it deletes
// status id (with row locks only; a missing status is not an error here).
func lockForDelete(ctx context.Context, c conn, id int64) error {
	if !c.d.RowLocks {
		return nil
	}
	var reblogOf int64
	err := c.row(ctx, `SELECT reblog_of_id FROM statuses WHERE id = $1`, id).Scan(idCol{&reblogOf})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case reblogOf != 0:
		return c.lock(ctx, "statuses", forNoKeyUpdate, reblogOf)
	}
	return c.lock(ctx, "statuses", forUpdate, id)
}

// deletedStatus is what the counters need of a deleted status.
type deletedStatus struct {
	accountID, inReplyToID, reblogOfID int64
	visibility                         model.Visibility
	createdAt                          int64
}

// deleteStatuses runs a DELETE on statuses and returns the rows it deleted.
func deleteStatuses(ctx context.Context, c conn, query string, args ...any) ([]deletedStatus, error) {
	rows, err := c.query(ctx, query+` RETURNING account_id, in_reply_to_id, reblog_of_id, visibility, created_at`, args...)
	return collect(rows, err, func(r rowScanner) (deletedStatus, error) {
		var d deletedStatus
		err := r.Scan(&d.accountID, idCol{&d.inReplyToID}, idCol{&d.reblogOfID}, &d.visibility, &d.createdAt)
		return d, err
	})
}

// uncountThread takes a deleted status off the counters of the status it
// boosted or replied to.
func uncountThread(ctx context.Context, c conn, d deletedStatus) error {
	if d.reblogOfID != 0 {
		if _, err := c.exec(ctx, `UPDATE statuses SET reblogs_count = reblogs_count - 1 WHERE id = $1`, d.reblogOfID); err != nil {
			return err
		}
	}
	if d.inReplyToID != 0 && distributable(&model.Status{Visibility: d.visibility}) {
		_, err := c.exec(ctx, `UPDATE statuses SET replies_count = replies_count - 1 WHERE id = $1`, d.inReplyToID)
		return err
	}
	return nil
}

// uncountAuthors takes deleted statuses off their authors' statuses_count,
// one account at a time in ascending ID order. last_status_at is read again
// from the statuses left only where a deleted status was the newest.
func uncountAuthors(ctx context.Context, c conn, gone []deletedStatus) error {
	type tally struct{ n, newest int64 }
	by := map[int64]*tally{}
	for _, d := range gone {
		if !counted(&model.Status{Visibility: d.visibility}) {
			continue
		}
		t := by[d.accountID]
		if t == nil {
			t = &tally{}
			by[d.accountID] = t
		}
		t.n++
		t.newest = max(t.newest, d.createdAt)
	}
	for _, id := range slices.Sorted(maps.Keys(by)) {
		_, err := c.exec(ctx, `UPDATE accounts SET statuses_count = statuses_count - $2,
			last_status_at = CASE WHEN last_status_at > $3 THEN last_status_at ELSE
				(SELECT s.created_at FROM statuses s WHERE s.account_id = $1
				AND s.visibility IN (`+countedVisibility+`) ORDER BY s.id DESC LIMIT 1) END
			WHERE id = $1`, id, by[id].n, by[id].newest)
		if err != nil {
			return err
		}
	}
	return nil
}

// threadCap bounds how much of a thread is read at once.
const threadCap = 4096

func threadLimit(limit int) int {
	if limit <= 0 || limit > threadCap {
		return threadCap
	}
	return limit
}

// Ancestors walks the reply chain up from id.
func (s *Store) Ancestors(ctx context.Context, id int64, limit int) ([]*model.Status, error) {
	q := `WITH RECURSIVE up (id, depth) AS (
			SELECT in_reply_to_id, 1 FROM statuses WHERE id = $1 AND in_reply_to_id IS NOT NULL
			UNION ALL
			SELECT p.in_reply_to_id, up.depth + 1 FROM statuses p JOIN up ON p.id = up.id
			WHERE p.in_reply_to_id IS NOT NULL AND up.depth < $2
		)
		SELECT ` + statusCols + ` FROM up JOIN statuses s ON s.id = up.id ORDER BY up.depth DESC`
	list, err := s.statusList(ctx, q, args{id, threadLimit(limit)}, false)
	return list, s.fail(opID("ancestors", id), err)
}

// Descendants reads the replies below id and orders them depth first, each
// level in creation order.
func (s *Store) Descendants(ctx context.Context, id int64, limit int) ([]*model.Status, error) {
	q := `WITH RECURSIVE down (id, depth) AS (
			SELECT id, 1 FROM statuses WHERE in_reply_to_id = $1
			UNION ALL
			SELECT r.id, down.depth + 1 FROM statuses r JOIN down ON r.in_reply_to_id = down.id
			WHERE down.depth < $2
		)
		SELECT ` + statusCols + ` FROM down JOIN statuses s ON s.id = down.id LIMIT $2`
	list, err := s.statusList(ctx, q, args{id, threadCap}, false)
	if err != nil {
		return nil, s.fail(opID("descendants", id), err)
	}
	out := depthFirst(id, list)
	if l := threadLimit(limit); len(out) > l {
		out = out[:l]
	}
	return out, nil
}

// depthFirst orders the replies below root depth first, siblings by ID.
func depthFirst(root int64, list []*model.Status) []*model.Status {
	children := map[int64][]*model.Status{}
	for _, st := range list {
		children[st.InReplyToID] = append(children[st.InReplyToID], st)
	}
	for _, c := range children {
		sort.Slice(c, func(i, j int) bool { return c[i].ID < c[j].ID })
	}
	out := make([]*model.Status, 0, len(list))
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			out = append(out, c)
			walk(c.ID)
		}
	}
	walk(root)
	return out
}
