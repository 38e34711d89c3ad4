package ap

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// The captured GoToSocial v0.20 traffic lives in the workspace's shared
// folder, outside the repository; it is read in place, never copied.
const gtsFixtures = "../../../../shared/fixtures/gotosocial-v0.20"

type exchange struct {
	Request struct {
		Method  string              `json:"method"`
		URL     string              `json:"url"`
		Headers map[string][]string `json:"headers"`
		BodyRaw *string             `json:"body_raw"`
		Body    json.RawMessage     `json:"body"`
	} `json:"request"`
	Response struct {
		Headers map[string][]string `json:"headers"`
		Body    json.RawMessage     `json:"body"`
	} `json:"response"`
}

type fixtureBody struct {
	where       string
	contentType string
	data        []byte
}

func gtsBodies(t *testing.T) map[string][]fixtureBody {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(gtsFixtures, "*.json"))
	if len(files) == 0 {
		t.Skipf("GoToSocial fixtures not found at %s; skipping", gtsFixtures)
	}
	out := make(map[string][]fixtureBody)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ex exchange
		if err := json.Unmarshal(raw, &ex); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(f)
		if ex.Request.BodyRaw != nil { // the exact bytes that were signed
			out[name] = append(out[name], fixtureBody{"request", first(ex.Request.Headers["Content-Type"]), []byte(*ex.Request.BodyRaw)})
		}
		if isJSONObject(ex.Response.Body) {
			out[name] = append(out[name], fixtureBody{"response", first(ex.Response.Headers["Content-Type"]), ex.Response.Body})
		}
	}
	return out
}

func TestGoToSocialFixturesParse(t *testing.T) {
	bodies := gtsBodies(t)
	var activityStreams int
	for name, bs := range bodies {
		for _, b := range bs {
			t.Run(name+"/"+b.where, func(t *testing.T) {
				if !isActivityStreams(b.contentType) {
					// WebFinger, NodeInfo and {"status":"Accepted"}: JSON,
					// but not ActivityStreams. They must pass the bounded
					// parser and be told apart from malformed input.
					if _, err := DefaultLimits.parse(b.data); err != nil {
						t.Fatalf("bounded parse: %v", err)
					}
					if _, err := Decode(b.data); !errors.Is(err, ErrUnsupportedType) {
						t.Fatalf("Decode of a non-AS body = %v, want ErrUnsupportedType", err)
					}
					return
				}
				activityStreams++
				o, err := Decode(b.data)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				assertRoundTrip(t, o)
			})
		}
	}
	if activityStreams < 40 {
		t.Errorf("only %d ActivityStreams bodies checked; fixture layout changed?", activityStreams)
	}
}

func TestGoToSocialFixtureVisibility(t *testing.T) {
	bodies := gtsBodies(t)
	const aliceFollowers = "http://localhost:8181/users/alice/followers"
	for file, want := range map[string]model.Visibility{
		"21-inbox-create-note-public.json":   model.VisibilityPublic,
		"23-inbox-create-note-unlisted.json": model.VisibilityUnlisted,
		"25-inbox-create-note-private.json":  model.VisibilityPrivate,
		"27-inbox-create-note-direct.json":   model.VisibilityDirect,
	} {
		bs := bodies[file]
		if len(bs) == 0 || bs[0].where != "request" {
			t.Fatalf("%s: no request body", file)
		}
		a, err := Decode(bs[0].data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		note := a.Embedded()
		if a.Type != TypeCreate || note == nil || note.Type != TypeNote {
			t.Fatalf("%s: not a Create{Note}", file)
		}
		if got := VisibilityOf(note, aliceFollowers); got != want {
			t.Errorf("%s: visibility %s, want %s", file, got, want)
		}
		// The activity's own addressing agrees with the note's.
		if got := VisibilityOf(a, aliceFollowers); got != want {
			t.Errorf("%s: activity visibility %s, want %s", file, got, want)
		}
	}
}

func TestGoToSocialFixtureShapes(t *testing.T) {
	bodies := gtsBodies(t)
	decode := func(file string, i int) *Object {
		t.Helper()
		o, err := Decode(bodies[file][i].data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return o
	}
	actor := decode("02-get-actor-alice.json", 0)
	if !actor.IsActor() || !actor.ManuallyApprovesFollowers || actor.Followers != "http://localhost:8181/users/alice/followers" {
		t.Errorf("actor = %#v", actor)
	}
	if k, ok := actor.MainKey("http://localhost:8181/users/alice/main-key"); !ok {
		t.Error("alice's main-key missing")
	} else if _, err := k.RSA(); err != nil {
		t.Errorf("alice's key: %v", err)
	}
	dm := decode("27-inbox-create-note-direct.json", 0).Embedded()
	if m := dm.Mentions(); len(m) != 1 || m[0] != "http://localhost:8182/users/bob" {
		t.Errorf("single-object tag not read as a list: %v", m)
	}
	if dm.InteractionPolicy == nil || len(dm.InteractionPolicy.CanReply.AutomaticApproval) != 2 {
		t.Errorf("interaction policy = %#v", dm.InteractionPolicy)
	}
	undo := decode("45-inbox-undo-follow-implied-by-block.json", 0)
	if inner := undo.Embedded(); inner == nil || inner.Type != TypeFollow {
		t.Errorf("undo of follow = %#v", inner)
	}
	page := decode("36-get-replies-of-public-post-again.json", 0)
	if len(page.Items) != 1 || page.Next.IRI == "" || page.Type != TypeOrderedCollectionPage {
		t.Errorf("replies page = %#v", page)
	}
}

func isActivityStreams(ct string) bool {
	return strings.HasPrefix(ct, "application/activity+json") ||
		(strings.HasPrefix(ct, "application/ld+json") && strings.Contains(ct, "activitystreams"))
}

func isJSONObject(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return strings.HasPrefix(s, "{")
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
