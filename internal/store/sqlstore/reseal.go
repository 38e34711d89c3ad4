package sqlstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

// Re-sealing: before a retired key is destroyed (core's key retirement),
// the values it sealed that are still kept are sealed again under the
// owner's current key of the same class, so that destroying the key only
// takes what the purges already deleted, and the copies of it in old
// backups.

// sealedTable is a table holding ciphertexts of one key class, owned by
// the account in account_id; where (if set) narrows it to the class's rows.
type sealedTable struct {
	table string
	cols  []string
	where string
}

// statusTables are a status class's tables: statuses hold three classes,
// told apart by locality and visibility (which an edit never changes), and
// an edit is in its status's class.
func statusTables(where string) []sealedTable {
	return []sealedTable{
		{"statuses", []string{"text", "content", "spoiler_text", "entities"}, where},
		{"status_edits", []string{"text", "content", "spoiler_text"},
			"status_id IN (SELECT id FROM statuses WHERE " + where + ")"},
	}
}

var classTables = map[string][]sealedTable{
	vault.ClassPosts:   statusTables("local = TRUE AND visibility <> 'direct'"),
	vault.ClassCache:   statusTables("local = FALSE AND visibility <> 'direct'"),
	vault.ClassDirect:  statusTables("visibility = 'direct'"),
	vault.ClassReports: {{"reports", []string{"comment"}, ""}},
	vault.ClassExports: {{"exports", []string{"archive"}, ""}},
}

// resealHook, when set (by tests), runs between reading a row and
// writing it back.
var resealHook func(table string, id int64)

// resealBatch is how many rows one query of ResealKeys reads.
const resealBatch = 200

// ResealKeys finds the rows by the key id in their ciphertexts' header
// (bytes 2 to 9, substr being 1-based on both databases), batch by batch
// in id order, and writes each row with a compare-and-swap on the values
// it read: a row written meanwhile (an edit, sealed under a current key
// anyway) keeps what was written.
func (s *Store) ResealKeys(ctx context.Context, owner int64, class string, keyIDs []int64) (int, error) {
	tables, ok := classTables[class]
	if !ok {
		return 0, s.fail("reseal keys", model.Invalid("not a retirable key class: "+class))
	}
	total := 0
	for _, part := range chunks(keyIDs) {
		for _, t := range tables {
			n, err := s.resealTable(ctx, owner, class, t, part)
			total += n
			if err != nil {
				return total, s.fail("reseal keys "+t.table, err)
			}
		}
	}
	return total, nil
}

func keyHeaders(ids []int64) [][]byte {
	out := make([][]byte, len(ids))
	for i, id := range ids {
		out[i] = binary.BigEndian.AppendUint64(nil, uint64(id))
	}
	return out
}

// resealTable re-seals t's values under the keys ids, and returns how many
// values it re-sealed.
func (s *Store) resealTable(ctx context.Context, owner int64, class string, t sealedTable, ids []int64) (int, error) {
	var a args
	a.add(owner)
	after := a.add(int64(0))
	var keys []string
	for _, h := range keyHeaders(ids) {
		keys = append(keys, a.add(h))
	}
	in := strings.Join(keys, ", ")
	var match []string
	for _, col := range t.cols {
		match = append(match, "substr("+col+", 2, 8) IN ("+in+")")
	}
	where := ""
	if t.where != "" {
		where = " AND " + t.where
	}
	q := `SELECT id, ` + strings.Join(t.cols, ", ") + ` FROM ` + t.table + ` WHERE account_id = $1 AND id > ` + after +
		where + ` AND (` + strings.Join(match, " OR ") + `) ORDER BY id LIMIT ` + fmt.Sprint(resealBatch)
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	total := 0
	for {
		rows, err := s.sealedRows(ctx, q, a, len(t.cols))
		if err != nil {
			return total, err
		}
		for _, r := range rows {
			if resealHook != nil {
				resealHook(t.table, r.id)
			}
			n, err := s.resealRow(ctx, owner, class, t, r, want)
			total += n
			if err != nil {
				return total, err
			}
		}
		if len(rows) < resealBatch {
			return total, nil
		}
		a[1] = rows[len(rows)-1].id
	}
}

// sealedRow is a row's id and its sealed values, in sealedTable.cols order.
type sealedRow struct {
	id   int64
	vals [][]byte
}

func (s *Store) sealedRows(ctx context.Context, q string, a args, ncols int) ([]sealedRow, error) {
	rows, err := s.conn().query(ctx, q, a...)
	return collect(rows, err, func(sc rowScanner) (sealedRow, error) {
		r := sealedRow{vals: make([][]byte, ncols)}
		dest := []any{&r.id}
		for i := range r.vals {
			dest = append(dest, &r.vals[i])
		}
		return r, sc.Scan(dest...)
	})
}

// resealRow re-seals r's values under the keys in want and writes them if
// the row still holds what was read. Values whose key is gone meanwhile
// (model.ErrShredded) are left as they are.
func (s *Store) resealRow(ctx context.Context, owner int64, class string, t sealedTable, r sealedRow, want map[int64]bool) (int, error) {
	var a args
	var set, same []string
	for i, col := range t.cols {
		id, ok := vault.KeyIDOf(r.vals[i])
		if !ok || !want[id] {
			continue
		}
		place := vault.Place{Table: t.table, Column: col, Row: r.id, Class: class}
		pt, err := s.v.Open(ctx, owner, place, r.vals[i])
		if shredded(err) {
			continue
		}
		if err != nil {
			return 0, err
		}
		ct, err := s.v.Seal(ctx, owner, place, pt)
		if err != nil {
			return 0, err
		}
		set = append(set, col+" = "+a.add(ct))
		same = append(same, col+" = "+a.add(slices.Clone(r.vals[i])))
	}
	if len(set) == 0 {
		return 0, nil
	}
	n, err := s.conn().affected(ctx, `UPDATE `+t.table+` SET `+strings.Join(set, ", ")+
		` WHERE id = `+a.add(r.id)+` AND `+strings.Join(same, " AND "), a...)
	if err != nil || n == 0 {
		return 0, err
	}
	return len(set), nil
}
