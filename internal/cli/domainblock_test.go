package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const blocklist = `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
bad.example,suspend,false,false,"Spam, and lots of it",false
meh.example,silence,true,true,,true
pics.example,noop,true,false,Large files,false
`

// TestDomainBlockImportExport runs the domain-block commands on the built
// binary: import, export round trip, re-import, add, list, remove, and a
// malformed file that changes nothing.
func TestDomainBlockImportExport(t *testing.T) {
	dir := t.TempDir()
	data := "--data-dir=" + filepath.Join(dir, "data")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in := write("in.csv", blocklist)
	db := func(args ...string) []string { return append([]string{"admin", "domain-block"}, append(args, data)...) }

	if out := mustRun(t, dir, nil, "", db("import", in)...); !strings.Contains(out, "3 added, 0 updated, 0 unchanged") {
		t.Errorf("import printed %q", out)
	}
	exported := filepath.Join(dir, "out.csv")
	mustRun(t, dir, nil, "", db("export", exported)...)
	if b, err := os.ReadFile(exported); err != nil || string(b) != blocklist {
		t.Errorf("exported file (%v):\n%s\nwant:\n%s", err, b, blocklist)
	}
	if out := mustRun(t, dir, nil, "", db("export")...); out != blocklist {
		t.Errorf("export to standard output:\n%s", out)
	}
	if out := mustRun(t, dir, nil, blocklist, db("import", "-")...); !strings.Contains(out, "0 added, 0 updated, 3 unchanged") {
		t.Errorf("re-import printed %q", out)
	}

	mustRun(t, dir, nil, "", db("add", "Ads.Example.", "--severity", "silence", "--reject-media", "--public-comment", "Ads")...)
	list := mustRun(t, dir, nil, "", db("list")...)
	if !strings.Contains(list, "ads.example") || !strings.Contains(list, "Ads") || strings.Count(list, "\n") != 5 {
		t.Errorf("list:\n%s", list)
	}
	mustRun(t, dir, nil, "", db("remove", "ads.example")...)
	r := run(t, dir, nil, "", db("remove", "ads.example")...)
	if r.code != 1 || !strings.Contains(r.stderr, "ads.example is not blocked") {
		t.Errorf("removing twice: exit %d, %s", r.code, r.stderr)
	}

	bad := write("bad.csv", blocklist+"new.example,suspend,false,false,,false\nworse.example,obliterate,false,false,,false\n")
	r = run(t, dir, nil, "", db("import", bad)...)
	if r.code != 1 || !strings.Contains(r.stderr, `line 6: unknown severity "obliterate"`) {
		t.Errorf("malformed import: exit %d, stderr %s", r.code, r.stderr)
	}
	truncated := write("cut.csv", blocklist+"cut.example,suspend,false,false,\"Spam and")
	r = run(t, dir, nil, "", db("import", truncated)...)
	if r.code != 1 || !strings.Contains(r.stderr, "line 5") {
		t.Errorf("truncated import: exit %d, stderr %s", r.code, r.stderr)
	}
	if out := mustRun(t, dir, nil, "", db("export")...); out != blocklist {
		t.Errorf("failed imports changed the blocks:\n%s", out)
	}

	for _, args := range [][]string{db("add", "x.example"), db("add", "x.example", "--severity", "obliterate"), db("export", "a", "b")} {
		if r := run(t, dir, nil, "", args...); r.code != 2 {
			t.Errorf("roost %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
