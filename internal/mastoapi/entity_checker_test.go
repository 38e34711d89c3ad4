package mastoapi

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaComponents are the component schemas of the Mastodon schema file,
// loaded once per test binary for the checkers of routes it lacks.
var schemaComponents struct {
	once sync.Once
	m    openapi3.Schemas
	err  error
}

// entities returns the named component schemas of the schema file at
// path, failing t when the file or one of them is missing.
func entities(t testing.TB, path string, names ...string) []*openapi3.Schema {
	t.Helper()
	schemaComponents.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			schemaComponents.err = err
			return
		}
		schemaComponents.m = doc.Components.Schemas
	})
	if schemaComponents.err != nil {
		t.Fatalf("openapi: %v", schemaComponents.err)
	}
	out := make([]*openapi3.Schema, len(names))
	for i, n := range names {
		ref := schemaComponents.m[n]
		if ref == nil || ref.Value == nil {
			t.Fatalf("openapi: %s lacks the %s entity", path, n)
		}
		out[i] = ref.Value
	}
	return out
}

// entityChecker checks the answers of routes the Mastodon schema lacks
// against its entities, and hands every other answer to next. handles
// picks the routes; an error answer must be an Error entity; a success is
// checked against what schemaFor returns for it, or by schemaFor itself
// when that returns nil.
type entityChecker struct {
	next      responseChecker
	handles   func(method, path string) bool
	schemaFor func(t testing.TB, method, path string, status int, v any, body []byte) *openapi3.Schema
	errEntity *openapi3.Schema
}

func (c entityChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if !c.handles(method, path) {
		c.next.CheckResponse(t, method, path, status, header, body)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("openapi: %s %s -> %d: not JSON: %.200s", method, path, status, body)
		return
	}
	schema := c.errEntity
	if status < 400 {
		if schema = c.schemaFor(t, method, path, status, v, body); schema == nil {
			return
		}
	}
	if err := schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
		t.Errorf("openapi: %s %s -> %d: %v", method, path, status, err)
	}
}

// emptyObject checks that v, the answer to method path, is {}.
func emptyObject(t testing.TB, method, path string, status int, v any, body []byte) {
	t.Helper()
	if m, ok := v.(map[string]any); !ok || len(m) != 0 {
		t.Errorf("openapi: %s %s -> %d: want an empty object, got %.200s", method, path, status, body)
	}
}
