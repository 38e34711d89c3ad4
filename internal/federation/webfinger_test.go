package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if intended)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// indent re-indents a JSON body for golden files.
func indent(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		t.Fatalf("indent %s: %v", b, err)
	}
	return append(buf.Bytes(), '\n')
}

func webfingerURL(resource string) string {
	return "/.well-known/webfinger?resource=" + url.QueryEscape(resource)
}

func TestWebFingerAccount(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	want := jrd{
		Subject: "acct:alice@roost.test",
		Aliases: []string{"https://roost.test/users/alice", "https://roost.test/@alice"},
		Links: []jrdLink{
			{Rel: relProfilePage, Type: "text/html", Href: "https://roost.test/@alice"},
			{Rel: relSelf, Type: "application/activity+json", Href: "https://roost.test/users/alice"},
		},
	}
	for _, res := range []string{
		"acct:alice@roost.test",
		"acct:ALICE@Roost.Test",
		"ACCT:alice@roost.test",
		"alice@roost.test",
		"acct:@alice@roost.test",
		"https://roost.test/users/alice",
		"https://roost.test/@alice",
		"https://ROOST.test/users/Alice",
	} {
		w := e.get(webfingerURL(res), "")
		if w.Code != 200 {
			t.Errorf("%s: status %d, body %s", res, w.Code, w.Body)
			continue
		}
		h := w.Header()
		if ct := h.Get("Content-Type"); ct != "application/jrd+json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", res, ct)
		}
		if h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header", res)
		}
		if h.Get("Set-Cookie") != "" {
			t.Errorf("%s: sets a cookie", res)
		}
		var got jrd
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", res, got, want)
		}
	}
}

func TestWebFingerGolden(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	w := e.get(webfingerURL("acct:alice@roost.test"), "application/jrd+json")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	golden(t, "webfinger.json", indent(t, w.Body.Bytes()))
}

func TestWebFingerRelFilter(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	w := e.get(webfingerURL("acct:alice@roost.test")+"&rel=self", "")
	var got jrd
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Links) != 1 || got.Links[0].Rel != relSelf {
		t.Errorf("rel=self kept %+v", got.Links)
	}
}

func TestWebFingerInstanceActor(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, res := range []string{"acct:roost.test@roost.test", "https://roost.test/actor"} {
		w := e.get(webfingerURL(res), "")
		if w.Code != 200 {
			t.Fatalf("%s: status %d", res, w.Code)
		}
		var got jrd
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Subject != "acct:roost.test@roost.test" || len(got.Aliases) != 1 || got.Aliases[0] != "https://roost.test/actor" {
			t.Errorf("%s: %+v", res, got)
		}
	}
}

// TestWebFingerHidesSuspended checks that a suspended or unapproved
// account answers exactly as an account that never existed.
func TestWebFingerHidesSuspended(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "sam")
	if err := e.svc.SuspendAccount(context.Background(), "sam"); err != nil {
		t.Fatal(err)
	}
	e.userWith(t, core.NewUser{Username: "pending"})
	unknown := e.get(webfingerURL("acct:ghost@roost.test"), "")
	if unknown.Code != 404 {
		t.Fatalf("unknown: status %d", unknown.Code)
	}
	for _, res := range []string{
		"acct:sam@roost.test", "https://roost.test/users/sam", "https://roost.test/@sam",
		"acct:pending@roost.test",
	} {
		sameResponse(t, res, e.get(webfingerURL(res), ""), unknown)
	}
}

func TestWebFingerNotFound(t *testing.T) {
	e := newTestEnv(t, nil)
	e.user(t, "alice")
	for _, res := range []string{
		"acct:alice@other.example",
		"acct:alice@roost.test.evil",
		"https://other.example/users/alice",
		"https://roost.test/users/alice/outbox",
		"https://roost.test/about",
		"acct:a.b@roost.test",
		"acct:" + strings.Repeat("a", 40) + "@roost.test",
	} {
		if w := e.get(webfingerURL(res), ""); w.Code != 404 {
			t.Errorf("%s: status %d, want 404", res, w.Code)
		}
	}
}

func TestWebFingerBadRequest(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, target := range []string{
		"/.well-known/webfinger",
		"/.well-known/webfinger?resource=",
		webfingerURL("alice"),
		webfingerURL("acct:"),
		webfingerURL("acct:alice"),
		webfingerURL("acct:@roost.test"),
		webfingerURL("acct:alice@"),
		webfingerURL("urn:example:alice"),
		webfingerURL("acct:alice\x00@roost.test"),
		webfingerURL("acct:al\nice@roost.test"),
		webfingerURL("https:///users/alice"),
		webfingerURL("acct:" + strings.Repeat("a", 600) + "@roost.test"),
	} {
		w := e.get(target, "")
		if w.Code != 400 {
			t.Errorf("%s: status %d, want 400", target, w.Code)
		}
	}
}

func TestHostMeta(t *testing.T) {
	e := newTestEnv(t, nil)
	w := e.get("/.well-known/host-meta", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/xrd+xml; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="https://roost.test/.well-known/webfinger?resource={uri}"/>
</XRD>
`
	if w.Body.String() != want {
		t.Errorf("host-meta:\n%s\nwant:\n%s", w.Body, want)
	}
	w = e.get("/.well-known/host-meta.json", "")
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("host-meta.json: status %d", w.Code)
	}
	var got jrd
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	wantJ := jrd{Links: []jrdLink{{Rel: "lrdd", Template: "https://roost.test/.well-known/webfinger?resource={uri}"}}}
	if !reflect.DeepEqual(got, wantJ) {
		t.Errorf("host-meta.json: %+v", got)
	}
}
