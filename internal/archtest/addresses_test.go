package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// addressHeaders are the request headers that carry a client's address.
var addressHeaders = map[string]bool{
	"x-forwarded-for": true, "x-real-ip": true, "forwarded": true,
	"cf-connecting-ip": true, "true-client-ip": true, "x-client-ip": true,
}

// TestOnlyRateLimitReadsAddresses keeps client addresses in one place:
// outside internal/ratelimit (which turns them into HMACs at once), no
// code mentions RemoteAddr or a header that carries an address.
func TestOnlyRateLimitReadsAddresses(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "internal/ratelimit" || rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasPrefix(rel, "internal/testutil/") {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if n.Sel.Name == "RemoteAddr" {
					t.Errorf("%s reads RemoteAddr: only internal/ratelimit may read a client's address", rel)
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && addressHeaders[strings.ToLower(s)] {
					t.Errorf("%s names the %s header: only internal/ratelimit may read a client's address", rel, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("walked only %d files; is the walk broken?", files)
	}
}
