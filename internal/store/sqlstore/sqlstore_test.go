package sqlstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func TestRebind(t *testing.T) {
	q := `SELECT a FROM t WHERE x = $1 AND y IN ($2, $10) AND z = $1`
	if got := (&Dialect{}).rebind(q); got != q {
		t.Errorf("dollar dialect changed the query: %s", got)
	}
	want := `SELECT a FROM t WHERE x = ?1 AND y IN (?2, ?10) AND z = ?1`
	if got := (&Dialect{QuestionPlaceholders: true}).rebind(q); got != want {
		t.Errorf("rebind = %s, want %s", got, want)
	}
}

func TestPaging(t *testing.T) {
	cases := []struct {
		p           store.Page
		where, tail string
		rev         bool
		args        []any
	}{
		{store.Page{}, "", " ORDER BY k DESC LIMIT $1", false, []any{20}},
		{store.Page{MaxID: 9, Limit: 99}, " AND k < $1", " ORDER BY k DESC LIMIT $2", false, []any{int64(9), 40}},
		{store.Page{SinceID: 3, Limit: 5}, " AND k > $1", " ORDER BY k DESC LIMIT $2", false, []any{int64(3), 5}},
		{store.Page{MinID: 3, MaxID: 9}, " AND k < $1 AND k > $2", " ORDER BY k ASC LIMIT $3", true, []any{int64(9), int64(3), 20}},
	}
	for _, c := range cases {
		var a args
		where, tail, rev := paging(&a, "k", c.p)
		if where != c.where || tail != c.tail || rev != c.rev || !slices.Equal(a, c.args) {
			t.Errorf("paging(%+v) = %q %q %v %v", c.p, where, tail, rev, a)
		}
	}
}

func TestStatements(t *testing.T) {
	script := "-- a comment; with a semicolon\nCREATE TABLE a (\n\tx INT\n);\n\nCREATE INDEX i ON a (x);\n"
	got := statements(script)
	want := []string{"CREATE TABLE a (\n\tx INT\n)", "CREATE INDEX i ON a (x)"}
	if !slices.Equal(got, want) {
		t.Errorf("statements = %q, want %q", got, want)
	}
}

func TestMigrationsSubstituteEveryPlaceholder(t *testing.T) {
	steps, err := migrations(&Dialect{PK: "PKTYPE", Blob: "BLOBTYPE"})
	if err != nil || len(steps) == 0 || len(steps) != SchemaVersion() {
		t.Fatalf("migrations: %d (schema version %d), %v", len(steps), SchemaVersion(), err)
	}
	for _, m := range steps {
		if strings.Contains(m.script, "{{") {
			t.Errorf("migration %d keeps a placeholder", m.version)
		}
	}
}

// A database records migrations by the number in their file name, so the
// embedded versions must be exactly 1..N, and names must parse.
func TestMigrationVersionsAreFileNumbers(t *testing.T) {
	steps, err := migrations(&Dialect{})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range steps {
		if m.version != i+1 {
			t.Errorf("migration at position %d has version %d: numbers must run 1..N without gaps", i+1, m.version)
		}
	}
	for name, want := range map[string]int{"migrations/0004_domain_blocks.sql": 4, "0012_x.sql": 12} {
		if v, err := migrationVersion(name); err != nil || v != want {
			t.Errorf("migrationVersion(%q) = %d, %v; want %d", name, v, err, want)
		}
	}
	for _, bad := range []string{"migrations/init.sql", "0000_zero.sql", "x1_a.sql", "0003.sql"} {
		if _, err := migrationVersion(bad); err == nil {
			t.Errorf("migrationVersion(%q) accepted a bad name", bad)
		}
	}
}

func TestLikePrefix(t *testing.T) {
	if got := likePrefix(`a_b%c\`); got != `a\_b\%c\\%` {
		t.Errorf("likePrefix = %q", got)
	}
}

func TestNormalizeTags(t *testing.T) {
	got := normalizeTags([]string{"Go", "#go", "", "#", "Roost"})
	if !slices.Equal(got, []string{"go", "roost"}) {
		t.Errorf("normalizeTags = %v", got)
	}
}

func TestDepthFirst(t *testing.T) {
	st := func(id, parent int64) *model.Status { return &model.Status{ID: id, InReplyToID: parent} }
	// 1 ← 2 ← 4, 1 ← 3, 2 ← 5; given out of order.
	got := depthFirst(1, []*model.Status{st(5, 2), st(3, 1), st(4, 2), st(2, 1)})
	var ids []int64
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	if want := []int64{2, 4, 5, 3}; !slices.Equal(ids, want) {
		t.Errorf("depthFirst = %v, want %v", ids, want)
	}
}
