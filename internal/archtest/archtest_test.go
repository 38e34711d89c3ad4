package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/roost-social/roost/"

// pkg is one package directory's imports and doc comment, tests excluded.
type pkg struct {
	dir     string // relative to the repo root, slash-separated
	imports map[string]bool
	hasDoc  bool
}

func loadPackages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	byDir := map[string]*pkg{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		p := byDir[rel]
		if p == nil {
			p = &pkg{dir: rel, imports: map[string]bool{}}
			byDir[rel] = p
		}
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package "+f.Name.Name+" ") {
			p.hasDoc = true
		}
		if f.Name.Name == "main" && f.Doc != nil {
			p.hasDoc = true
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			p.imports[path] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []pkg
	for _, p := range byDir {
		out = append(out, *p)
	}
	if len(out) < 5 {
		t.Fatalf("found only %d packages under %s; is the walk broken?", len(out), root)
	}
	return out
}

func TestEveryPackageHasADoc(t *testing.T) {
	for _, p := range loadPackages(t) {
		if !p.hasDoc && p.dir != "cmd/roost" {
			t.Errorf("%s: no `// Package x ...` doc comment", p.dir)
		}
	}
}

// rule forbids packages under from importing anything that matches one of
// the forbidden prefixes.
type rule struct {
	under     string
	forbidden []string
	why       string
}

var rules = []rule{
	{"internal/core", []string{"net/http", "database/sql", module + "internal/store/", module + "internal/mastoapi", module + "internal/cli", module + "internal/app"},
		"core is use cases: it knows neither HTTP nor SQL nor adapters"},
	{"internal/model", []string{module}, "model imports nothing from the project"},
	{"internal/mastoapi", []string{"database/sql", module + "internal/store/sqlite", module + "internal/store/postgres", module + "internal/store/sqlstore", module + "internal/vault"},
		"adapters go through core, never a store implementation or the vault"},
	{"internal/federation", []string{"database/sql", module + "internal/store/sqlite", module + "internal/store/postgres", module + "internal/store/sqlstore", module + "internal/vault"},
		"federation is an adapter: it goes through core, never a store implementation or the vault"},
	{"internal/webpages", []string{"database/sql", module + "internal/store/sqlite", module + "internal/store/postgres", module + "internal/store/sqlstore", module + "internal/vault"},
		"the server-rendered pages are an adapter: they go through core, never a store implementation or the vault"},
	{"internal/webapp", []string{"database/sql", module + "internal/store", module + "internal/core", module + "internal/vault"},
		"the web client is a client of the API: its server side only serves the built files"},
	{"internal/store/sqlstore", []string{"net/http"}, "storage knows nothing of HTTP"},
	{"internal/store/sqlite", []string{"net/http"}, "storage knows nothing of HTTP"},
	{"internal/store/postgres", []string{"net/http"}, "storage knows nothing of HTTP"},
	{"internal/vault", []string{module + "internal/store", module + "internal/core", "net/http"}, "the vault stands below everything"},
	{"internal/privacy", []string{"net/http", "database/sql", module + "internal/store", module + "internal/core", module + "internal/config"},
		"the privacy facts are derived from settings handed in: no HTTP, no SQL, no configuration file"},
}

func TestForbiddenImports(t *testing.T) {
	pkgs := loadPackages(t)
	for _, r := range rules {
		for _, p := range pkgs {
			if p.dir != r.under && !strings.HasPrefix(p.dir, r.under+"/") {
				continue
			}
			if strings.Contains(p.dir, "testutil") {
				continue
			}
			for im := range p.imports {
				for _, f := range r.forbidden {
					if im == f || strings.HasPrefix(im, f) {
						t.Errorf("%s imports %s: %s", p.dir, im, r.why)
					}
				}
			}
		}
	}
}

// TestKeyMaterial keeps crypto primitives inside the vault (and the
// password hashing and OAuth secrets that core owns by design).
func TestKeyMaterial(t *testing.T) {
	allowed := map[string]bool{"internal/vault": true}
	for _, p := range loadPackages(t) {
		if allowed[p.dir] || strings.HasPrefix(p.dir, "internal/testutil") {
			continue
		}
		for _, im := range []string{"crypto/aes", "crypto/cipher"} {
			if p.imports[im] {
				t.Errorf("%s imports %s: only the vault touches key material", p.dir, im)
			}
		}
	}
}

func TestMain(m *testing.M) {
	if _, err := os.Stat("../../go.mod"); err != nil {
		panic("archtest must run from internal/archtest")
	}
	os.Exit(m.Run())
}
