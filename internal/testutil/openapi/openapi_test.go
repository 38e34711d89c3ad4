package openapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeTB records Errorf calls instead of failing; everything else goes to
// the real test.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errors...)
}

const validAccount = `{
	"id": "109348214463786437", "username": "alice", "acct": "alice",
	"display_name": "Alice", "locked": false, "bot": false, "group": false,
	"discoverable": null, "indexable": false, "noindex": false,
	"created_at": "2024-05-01T00:00:00.000Z", "note": "<p>hi</p>",
	"url": "https://roost.example/@alice", "uri": "https://roost.example/users/alice",
	"avatar": "https://roost.example/avatars/original/missing.png",
	"avatar_static": "https://roost.example/avatars/original/missing.png",
	"header": "https://roost.example/headers/original/missing.png",
	"header_static": "https://roost.example/headers/original/missing.png",
	"followers_count": 0, "following_count": 2, "statuses_count": 1,
	"last_status_at": "2024-05-02", "hide_collections": null,
	"emojis": [], "roles": [],
	"fields": [{"name": "web", "value": "x", "verified_at": null}]
}`

func validStatus(extra string) string {
	return `{
	"id": "1", "created_at": "2024-05-02T10:00:00.000Z", "in_reply_to_id": null,
	"in_reply_to_account_id": null, "sensitive": false, "spoiler_text": "",
	"visibility": "public", "language": "en", "uri": "https://roost.example/users/alice/statuses/1",
	"url": "https://roost.example/@alice/1", "replies_count": 0, "reblogs_count": 0,
	"favourites_count": 0, "edited_at": null, "favourited": false, "reblogged": false,
	"muted": false, "bookmarked": false, "pinned": false,
	"reblog": null, "application": {"name": "toot", "website": null},
	"account": ` + validAccount + `, "media_attachments": [], "mentions": [], "tags": [],
	"emojis": [], "card": null, "poll": null, "content": "<p>hello</p>"` + extra + `}`
}

var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}}

// check runs CheckResponse on a fake TB and returns what it reported.
func check(t *testing.T, method, path string, status int, header http.Header, body string) []string {
	t.Helper()
	v := Load(t)
	f := &fakeTB{TB: t}
	v.CheckResponse(f, method, path, status, header, []byte(body))
	return f.got()
}

func wantValid(t *testing.T, method, path string, status int, body string) {
	t.Helper()
	if errs := check(t, method, path, status, jsonHeader, body); len(errs) != 0 {
		t.Errorf("%s %s %d: want valid, got:\n%s", method, path, status, strings.Join(errs, "\n"))
	}
}

// wantInvalid checks that the response is rejected with messages containing
// every one of want.
func wantInvalid(t *testing.T, method, path string, status int, body string, want ...string) {
	t.Helper()
	errs := check(t, method, path, status, jsonHeader, body)
	if len(errs) == 0 {
		t.Fatalf("%s %s %d: want a failure, got none", method, path, status)
	}
	all := strings.Join(errs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s %s %d: failure should mention %q, got:\n%s", method, path, status, w, all)
		}
	}
}

func TestValidAccountPasses(t *testing.T) {
	t.Parallel()
	wantValid(t, "GET", "/api/v1/accounts/109348214463786437", 200, validAccount)
	wantValid(t, "GET", "/api/v1/accounts/lookup?acct=alice", 200, validAccount)
}

func TestWrongTypeFails(t *testing.T) {
	t.Parallel()
	body := strings.Replace(validAccount, `"locked": false`, `"locked": "no"`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /locked", "must be a boolean")
	body = strings.Replace(validAccount, `"followers_count": 0`, `"followers_count": 1.5`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /followers_count")
	body = strings.Replace(validAccount, `"name": "web"`, `"name": 7`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /fields/0/name")
}

func TestNullability(t *testing.T) {
	t.Parallel()
	// display_name is not nullable; url and discoverable are (checked valid above).
	body := strings.Replace(validAccount, `"display_name": "Alice"`, `"display_name": null`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /display_name")
}

func TestMissingRequiredField(t *testing.T) {
	t.Parallel()
	body := strings.Replace(validAccount, `"group": false,`, ``, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, `"group" is missing`)
}

func TestFormats(t *testing.T) {
	t.Parallel()
	body := strings.Replace(validAccount, `"avatar": "https://roost.example/avatars/original/missing.png"`, `"avatar": "/avatars/original/missing.png"`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /avatar", "uri")
	body = strings.Replace(validAccount, `"created_at": "2024-05-01T00:00:00.000Z"`, `"created_at": "May 1"`, 1)
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, body, "at /created_at", "date-time")
	wantValid(t, "GET", "/api/v1/statuses/1", 200, validStatus(""))
	wantInvalid(t, "GET", "/api/v1/statuses/1", 200, strings.Replace(validStatus(""), `"language": "en"`, `"language": "English"`, 1), "at /language")
}

func TestUnknownPathReported(t *testing.T) {
	t.Parallel()
	errs := check(t, "GET", "/api/v1/no_such_thing", 200, jsonHeader, `{}`)
	if len(errs) != 1 || !strings.Contains(errs[0], "no such operation") {
		t.Errorf("unknown path: got %q", errs)
	}
	errs = check(t, "PATCH", "/api/v1/statuses/1", 200, jsonHeader, `{}`)
	if len(errs) != 1 || !strings.Contains(errs[0], "no such operation") {
		t.Errorf("unknown method: got %q", errs)
	}
}

func TestUndocumentedStatus(t *testing.T) {
	t.Parallel()
	errs := check(t, "GET", "/api/v1/accounts/1", 201, jsonHeader, validAccount)
	if len(errs) != 1 || !strings.Contains(errs[0], "status 201 is not documented") {
		t.Errorf("undocumented 201: got %q", errs)
	}
	// Quirk 1: an error status the spec leaves out must still be an Error.
	wantValid(t, "GET", "/api/v1/accounts/1", 400, `{"error": "bad request"}`)
	wantValid(t, "POST", "/oauth/token", 400, `{"error": "invalid_grant", "error_description": "The provided authorization grant is invalid."}`)
	wantInvalid(t, "GET", "/api/v1/timelines/home", 403, `{"message": "nope"}`, `"error" is missing`)
	// A documented error status uses its own schema.
	wantInvalid(t, "GET", "/api/v1/accounts/1", 404, `{"error": 404}`, "at /error")
}

func TestLiteralSegmentWins(t *testing.T) {
	t.Parallel()
	// /api/v1/accounts/relationships, not /api/v1/accounts/{id}.
	wantValid(t, "GET", "/api/v1/accounts/relationships?id[]=1", 200, `[]`)
	wantInvalid(t, "GET", "/api/v1/accounts/relationships", 200, validAccount, "must be an array")
}

func TestOneOfReportsBranches(t *testing.T) {
	t.Parallel()
	wantValid(t, "POST", "/api/v1/statuses", 200, validStatus(""))
	bad := strings.Replace(validStatus(""), `"replies_count": 0`, `"replies_count": "0"`, 1)
	wantInvalid(t, "POST", "/api/v1/statuses", 200, bad, "oneOf", "at /replies_count: value must be an integer")
	inner := strings.Replace(validStatus(""), `"sensitive": false`, `"sensitive": 1`, 1)
	bad = strings.Replace(validStatus(""), `"reblog": null`, `"reblog": `+inner, 1)
	wantInvalid(t, "GET", "/api/v1/statuses/1", 200, bad, "at /reblog/sensitive: value must be a boolean")
	// reblog is oneOf [Status, null].
	wantValid(t, "GET", "/api/v1/statuses/2", 200, strings.Replace(validStatus(""), `"reblog": null`, `"reblog": `+validStatus(""), 1))
}

func TestDeletedStatusQuirk(t *testing.T) {
	t.Parallel()
	withContent := validStatus("")
	noContent := strings.Replace(withContent, `"content": "<p>hello</p>"`, `"text": "hello"`, 1)
	wantValid(t, "DELETE", "/api/v1/statuses/1", 200, noContent)
	wantInvalid(t, "GET", "/api/v1/statuses/1", 200, noContent, `"content" is missing`)
	wantValid(t, "GET", "/api/v1/statuses/1", 200, withContent)
	wantInvalid(t, "DELETE", "/api/v1/statuses/1", 200, withContent, `"text" is missing`)
}

func TestPreferencesQuirk(t *testing.T) {
	t.Parallel()
	prefs := `{"posting:default:visibility": "public", "posting:default:sensitive": false,
		"posting:default:language": null, "reading:expand:media": "default", "reading:expand:spoilers": false}`
	wantValid(t, "GET", "/api/v1/preferences", 200, prefs)
	wantInvalid(t, "GET", "/api/v1/preferences", 200, `{"posting:default:visibility": "public"}`, `"posting:default:sensitive" is missing`)
}

// TestQuirksStillNeeded fails when the schema is fixed, so the patch can go.
func TestQuirksStillNeeded(t *testing.T) {
	t.Parallel()
	v := Load(t)
	r, ok := v.match("GET", "/api/v1/preferences")
	if !ok {
		t.Fatal("GET /api/v1/preferences is gone from the schema")
	}
	if resp := r.op.Responses.Value("200"); resp == nil || resp.Value == nil || len(resp.Value.Content) != 0 {
		t.Error("GET /api/v1/preferences 200 now has a body schema: drop quirk 2")
	}
	status := v.doc.Components.Schemas["Status"].Value
	if !strings.Contains(strings.Join(status.Required, ","), "content") {
		t.Error("Status no longer requires content: drop quirk 3")
	}
}

func TestEmptyBodies(t *testing.T) {
	t.Parallel()
	wantValid(t, "POST", "/api/v1/notifications/clear", 200, `{}`)
	wantValid(t, "POST", "/oauth/revoke", 200, `{}`)
	wantInvalid(t, "POST", "/api/v1/notifications/clear", 200, `{"cleared": true}`, "documents no body")
	// The HTML sign-in page is not JSON and the schema documents no JSON body.
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if errs := check(t, "GET", "/oauth/authorize", 200, html, "<html></html>"); len(errs) != 0 {
		t.Errorf("HTML authorize page: %q", errs)
	}
	// But an HTML answer where JSON is documented is reported.
	if errs := check(t, "GET", "/api/v1/accounts/1", 200, html, "<html></html>"); len(errs) != 1 {
		t.Errorf("HTML instead of JSON: %q", errs)
	}
}

func TestSecretsRedacted(t *testing.T) {
	t.Parallel()
	errs := check(t, "POST", "/oauth/token", 200, jsonHeader, `{"access_token": 12345, "token_type": "Bearer", "scope": "read", "created_at": 1}`)
	if len(errs) != 1 || !strings.Contains(errs[0], "at /access_token") || strings.Contains(errs[0], "12345") {
		t.Errorf("wrong-typed token: got %q", errs)
	}
	errs = check(t, "POST", "/api/v1/notifications/clear", 200, jsonHeader, `{"access_token": "s3cret"}`)
	if len(errs) != 1 || strings.Contains(errs[0], "s3cret") || !strings.Contains(errs[0], "[redacted]") {
		t.Errorf("token in an unexpected body: got %q", errs)
	}
}

func TestNotJSON(t *testing.T) {
	t.Parallel()
	wantInvalid(t, "GET", "/api/v1/accounts/1", 200, `{"id": `, "not valid JSON")
}

// apiServer serves a bad Account, an unknown API path and an HTML page.
func apiServer() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, strings.Replace(validAccount, `"bot": false`, `"bot": 0`, 1))
	})
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error": "The access token is invalid"}`)
	})
	mux.HandleFunc("GET /api/v1/roost_only", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"anything": 1}`)
	})
	mux.HandleFunc("GET /oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<form></form>")
	})
	return mux
}

func exercise(t *testing.T, client *http.Client, base string) {
	t.Helper()
	for _, p := range []string{"/api/v1/accounts/1", "/api/v1/accounts/verify_credentials", "/api/v1/roost_only", "/oauth/authorize"} {
		resp, err := client.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) == 0 {
			t.Fatalf("GET %s: body not passed through (%v)", p, err)
		}
	}
}

func wantOneBotError(t *testing.T, errs []string) {
	t.Helper()
	if len(errs) != 1 || !strings.Contains(errs[0], "GET /api/v1/accounts/1 -> 200") || !strings.Contains(errs[0], "at /bot") {
		t.Errorf("want exactly the /bot error, got %q", errs)
	}
}

func TestTransport(t *testing.T) {
	t.Parallel()
	v := Load(t)
	srv := httptest.NewServer(apiServer())
	defer srv.Close()
	f := &fakeTB{TB: t}
	exercise(t, &http.Client{Transport: v.Transport(f, nil)}, srv.URL)
	wantOneBotError(t, f.got())
}

func TestHandler(t *testing.T) {
	t.Parallel()
	v := Load(t)
	f := &fakeTB{TB: t}
	srv := httptest.NewServer(v.Handler(f, apiServer()))
	defer srv.Close()
	exercise(t, srv.Client(), srv.URL)
	wantOneBotError(t, f.got())
}

func TestFindSpec(t *testing.T) {
	// Not parallel: it changes the environment.
	t.Setenv("ROOST_MASTODON_SPEC", filepath.Join(t.TempDir(), "missing.json"))
	if _, err := findSpec(); err == nil || !strings.Contains(err.Error(), "ROOST_MASTODON_SPEC") {
		t.Errorf("explicit missing spec: got %v", err)
	}
	p := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ROOST_MASTODON_SPEC", p)
	if got, err := findSpec(); err != nil || got != p {
		t.Errorf("explicit spec: got %q, %v", got, err)
	}
}
