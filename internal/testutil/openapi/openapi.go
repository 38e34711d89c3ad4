// Package openapi checks, in tests, that Roost's HTTP responses match the
// community Mastodon OpenAPI schema (github.com/abraham/mastodon-openapi).
//
// The schema is read from $ROOST_MASTODON_SPEC or, by default, from
// shared/specs/mastodon-openapi/schema.json found in the working directory
// or one of its parents (the repository's sibling "shared" directory). It is
// never copied into the repository. Where it is absent the calling test is
// skipped, unless ROOST_REQUIRE_SPEC=1, which turns the skip into a failure.
//
// Validation uses getkin/kin-openapi (already a dependency, so no second
// validator stack such as pb33f/libopenapi-validator): it loads this OpenAPI
// 3.1 document and understands its `"type": ["string", "null"]`
// nullability; the schemas use no JSON Schema 2020-12 keyword its validator
// lacks. The places
// where the schema disagrees with what Mastodon really sends are patched
// narrowly in quirks.go, each with the reason.
package openapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// specRel is where the schema sits relative to a directory that holds "shared".
const specRel = "shared/specs/mastodon-openapi/schema.json"

// Validator checks responses against the loaded schema. It is safe for
// concurrent use and shared by every test in a process.
type Validator struct {
	path   string
	doc    *openapi3.T
	routes []route
	// errorSchema is the Mastodon Error entity, used for error statuses the
	// spec does not list (see quirks.go).
	errorSchema *openapi3.Schema
	// patched maps "METHOD /template STATUS" to a replacement body schema.
	patched map[string]*openapi3.Schema
}

var (
	loadOnce   sync.Once
	loaded     *Validator
	loadErr    error
	errNoSpecs = errors.New("schema not found")
)

// Load returns the shared Validator, loading and checking the schema on first
// use. It skips t when the schema cannot be found (fails if
// ROOST_REQUIRE_SPEC=1), and fails t when the schema exists but does not load.
func Load(t testing.TB) *Validator {
	t.Helper()
	loadOnce.Do(func() { loaded, loadErr = load() })
	switch {
	case errors.Is(loadErr, errNoSpecs):
		msg := fmt.Sprintf("openapi: Mastodon OpenAPI schema not found (%v); set ROOST_MASTODON_SPEC or place it at ../%s beside the repository", loadErr, specRel)
		if os.Getenv("ROOST_REQUIRE_SPEC") == "1" {
			t.Fatal(msg + " (required: ROOST_REQUIRE_SPEC=1)")
		}
		t.Skip(msg)
	case loadErr != nil:
		t.Fatalf("openapi: %v", loadErr)
	}
	return loaded
}

// Path reports the file the schema was loaded from.
func (v *Validator) Path() string { return v.path }

func load() (*Validator, error) {
	path, err := findSpec()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	// The schema's examples are abridged and its /api/oembed "maxheight"
	// default is the string "null" for an integer, so only the structure is
	// checked here, not examples or defaults.
	err = doc.Validate(context.Background(),
		openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	v := &Validator{path: path, doc: doc, routes: buildRoutes(doc)}
	if err := v.applyQuirks(); err != nil {
		return nil, fmt.Errorf("patch %s: %w", path, err)
	}
	return v, nil
}

// findSpec returns $ROOST_MASTODON_SPEC, or the first specRel found walking
// up from the working directory.
func findSpec() (string, error) {
	if p := os.Getenv("ROOST_MASTODON_SPEC"); p != "" {
		if _, err := os.Stat(p); err != nil {
			// An explicit setting that points nowhere is a mistake, not an absence.
			return "", fmt.Errorf("ROOST_MASTODON_SPEC: %w", err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find schema: %w", err)
	}
	for {
		p := filepath.Join(dir, specRel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("find schema: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w above the working directory", errNoSpecs)
		}
		dir = parent
	}
}
