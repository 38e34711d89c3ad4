package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// specsDir holds the NodeInfo schemas, beside the repository.
var specsDir = filepath.Join("..", "..", "..", "shared", "specs", "nodeinfo")

// nodeInfoSchema compiles the schema of a NodeInfo version, or skips the
// test when the shared specs are absent (and fails when
// ROOST_REQUIRE_SHARED=1).
func nodeInfoSchema(t *testing.T, version string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(specsDir, "nodeinfo-"+version+".schema.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("ROOST_REQUIRE_SHARED") == "1" {
			t.Fatalf("NodeInfo schema: %v", err)
		}
		t.Skipf("NodeInfo schema not available (%v); set ROOST_REQUIRE_SHARED=1 to require it", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return s
}

// settableClock is a clock tests move.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *settableClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func TestNodeInfoLinks(t *testing.T) {
	e := newTestEnv(t, nil)
	w := e.get("/.well-known/nodeinfo", "")
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("status %d, headers %v", w.Code, w.Header())
	}
	var got nodeInfoLinks
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []nodeInfoLink{
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", Href: "https://roost.test/nodeinfo/2.0"},
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", Href: "https://roost.test/nodeinfo/2.1"},
	}
	if len(got.Links) != 2 || got.Links[0] != want[0] || got.Links[1] != want[1] {
		t.Errorf("links %+v", got.Links)
	}
}

// TestNodeInfo checks both versions against their schemas, and the usage
// figures against users who signed in 200, 100 and 5 days ago, one who
// never did, one suspended and one awaiting approval.
func TestNodeInfo(t *testing.T) {
	clock := &settableClock{t: fixedNow}
	e := newTestEnv(t, clock.Now)
	ctx := context.Background()
	for _, u := range []struct {
		name    string
		daysAgo int
	}{{"old", 200}, {"mid", 100}, {"recent", 5}, {"never", -1}, {"sam", 3}} {
		a := e.user(t, u.name)
		if u.daysAgo >= 0 {
			clock.Set(fixedNow.AddDate(0, 0, -u.daysAgo))
			if _, _, err := e.svc.SignIn(ctx, u.name, "password-"+u.name); err != nil {
				t.Fatalf("sign in %s: %v", u.name, err)
			}
			clock.Set(fixedNow)
		}
		e.post(t, a, "hello from "+u.name, model.VisibilityPublic)
	}
	if err := e.svc.SuspendAccount(ctx, "sam"); err != nil {
		t.Fatal(err)
	}
	e.userWith(t, core.NewUser{Username: "pending"})

	for _, version := range []string{"2.0", "2.1"} {
		t.Run(version, func(t *testing.T) {
			w := e.get("/nodeinfo/"+version, "")
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			wantCT := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + version + `#"`
			if ct := w.Header().Get("Content-Type"); ct != wantCT {
				t.Errorf("Content-Type %q, want %q", ct, wantCT)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			schema := nodeInfoSchema(t, version)
			if err := schema.Validate(inst); err != nil {
				t.Errorf("NodeInfo %s does not match its schema: %v\n%s", version, err, w.Body)
			}
			// The schema has teeth: a wrong software name fails it.
			bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.Replace(w.Body.Bytes(), []byte(`"roost"`), []byte(`"Roost"`), 1)))
			if schema.Validate(bad) == nil {
				t.Error("the schema accepts an upper-case software name")
			}
			var got nodeInfo
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			wantUsers := nodeInfoUsers{Total: 4, ActiveMonth: 1, ActiveHalfyear: 2}
			if got.Version != version || got.Software.Name != "roost" || got.Software.Version != "1.2.3-test" ||
				got.Usage.Users != wantUsers || got.Usage.LocalPosts != 5 || !got.OpenRegistrations {
				t.Errorf("got %+v", got)
			}
			p := got.Metadata.Privacy
			if got.Metadata.NodeName != "Roost test" || p.IPLogging != "none" || p.E2EEDirectMessages {
				t.Errorf("metadata %+v", got.Metadata)
			}
		})
	}
}

func TestNodeInfoRegistrations(t *testing.T) {
	for mode, open := range map[model.RegistrationMode]bool{
		model.RegistrationOpen: true, model.RegistrationApproval: true,
		model.RegistrationInvite: false, model.RegistrationClosed: false,
	} {
		set := testSettings()
		set.Registration = mode
		e := newTestEnvWith(t, set, nil)
		var got nodeInfo
		if err := json.Unmarshal(e.get("/nodeinfo/2.1", "").Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.OpenRegistrations != open {
			t.Errorf("%s: openRegistrations %v", mode, got.OpenRegistrations)
		}
	}
}

// TestNodeInfoCache checks that usage is counted again only after
// usageTTL.
func TestNodeInfoCache(t *testing.T) {
	clock := &settableClock{t: fixedNow}
	e := newTestEnv(t, clock.Now)
	total := func() int {
		var got nodeInfo
		if err := json.Unmarshal(e.get("/nodeinfo/2.0", "").Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got.Usage.Users.Total
	}
	if n := total(); n != 0 {
		t.Fatalf("total %d", n)
	}
	e.user(t, "alice")
	if n := total(); n != 0 {
		t.Errorf("total %d within the cache time, want the cached 0", n)
	}
	clock.Set(fixedNow.Add(usageTTL))
	if n := total(); n != 1 {
		t.Errorf("total %d after the cache time, want 1", n)
	}
}
