package mastoapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// finishingQueue stands in for the export job: it stores a fixed archive
// at once, so the API can be tested without a job queue.
type finishingQueue struct{ svc *core.Service }

func (q finishingQueue) EnqueueExport(ctx context.Context, id int64) error {
	return q.svc.FinishExport(ctx, id, []byte("PK not really a zip"))
}

// freshExport returns a ready export of alice's, made on first use, for
// the route tests.
func (w *routeWorld) freshExport(t *testing.T) string {
	t.Helper()
	ctx, alice := context.Background(), &core.Auth{Account: w.alice}
	w.svc.SetExportQueue(finishingQueue{w.svc})
	list, err := w.svc.Exports(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.State == store.ExportReady {
			return model.FormatID(e.ID)
		}
	}
	e, err := w.svc.RequestExport(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	return model.FormatID(e.ID)
}

func TestExportsAPI(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", "read")
	_, other := e.user(t, "bob", "read")
	_, narrow := e.user(t, "carol", "read:accounts")

	code, _, body := e.do(t, "POST", "/api/v1/roost/exports", tok, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "not available") {
		t.Fatalf("without a queue: %d %s", code, body)
	}
	e.svc.SetExportQueue(finishingQueue{e.svc})
	if code, _, _ := e.do(t, "POST", "/api/v1/roost/exports", narrow, nil); code != http.StatusForbidden {
		t.Errorf("read:accounts token: %d, want 403", code)
	}
	code, _, body = e.do(t, "POST", "/api/v1/roost/exports", tok, nil)
	if code != http.StatusAccepted {
		t.Fatalf("POST: %d %s", code, body)
	}
	var ex ExportEntity
	if err := json.Unmarshal(body, &ex); err != nil {
		t.Fatal(err)
	}
	code, _, body = e.do(t, "GET", "/api/v1/roost/exports/"+ex.ID, tok, nil)
	if err := json.Unmarshal(body, &ex); err != nil || code != 200 || ex.State != "ready" || ex.Progress != 100 ||
		ex.DownloadURL == nil || !strings.HasSuffix(*ex.DownloadURL, "/api/v1/roost/exports/"+ex.ID+"/download") {
		t.Fatalf("GET: %d %s", code, body)
	}
	code, h, body := e.do(t, "GET", "/api/v1/roost/exports/"+ex.ID+"/download", tok, nil)
	if code != 200 || string(body) != "PK not really a zip" || h.Get("Content-Type") != "application/zip" ||
		h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v %s", code, h, body)
	}
	for _, p := range []string{"/api/v1/roost/exports/" + ex.ID, "/api/v1/roost/exports/" + ex.ID + "/download"} {
		if code, _, body := e.do(t, "GET", p, other, nil); code != 404 {
			t.Errorf("another account's %s: %d %s", p, code, body)
		}
	}
	code, _, body = e.do(t, "GET", "/api/v1/roost/exports", other, nil)
	if code != 200 || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("bob's list: %d %s", code, body)
	}
}

func TestInventoryAPI(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", "read")
	code, _, body := e.do(t, "GET", "/api/v1/roost/inventory", tok, nil)
	var inv InventoryEntity
	if err := json.Unmarshal(body, &inv); err != nil || code != 200 || inv.Account != "alice" {
		t.Fatalf("inventory: %d %s", code, body)
	}
	seen := map[string]InventoryItem{}
	for _, it := range inv.Items {
		seen[it.Category] = it
		if it.Description == "" || it.Encryption == "" || len(it.ReadableBy) == 0 || it.Expires == "" {
			t.Errorf("incomplete item %+v", it)
		}
	}
	for _, c := range []string{"profile", "email", "posts", "direct_messages", "favourites", "bookmarks", "follows",
		"blocks", "mutes", "notifications", "sessions", "reports", "exports"} {
		if _, ok := seen[c]; !ok {
			t.Errorf("no %s in the inventory", c)
		}
	}
	if ex := seen["exports"]; ex.MaxAgeDays == nil || *ex.MaxAgeDays != 1 || !ex.Encrypted {
		t.Errorf("exports item = %+v", ex)
	}
	code, h, page := e.do(t, "GET", "/api/v1/roost/inventory.html", tok, nil)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(page), `id="inv-direct_messages"`) {
		t.Errorf("inventory page: %d %.300s", code, page)
	}
	if code, _, _ := e.do(t, "GET", "/api/v1/roost/inventory.html", "", nil); code != 401 {
		t.Errorf("signed-out page: %d, want 401", code)
	}
}

// exportsChecker checks Roost's export and inventory endpoints, which
// Mastodon's schema lacks: Roost's own entities, or the error entity.
type exportsChecker struct{ next responseChecker }

func withExports(next responseChecker) responseChecker { return exportsChecker{next: next} }

func (c exportsChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if !strings.HasPrefix(path, "/api/v1/roost/") && !strings.HasPrefix(path, "/api/v1/exports/") {
		c.next.CheckResponse(t, method, path, status, header, body)
		return
	}
	switch {
	case status >= 400:
		var e apiError
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
			t.Errorf("%s %s -> %d without an error entity: %.200s", method, path, status, body)
		}
	case strings.HasSuffix(path, ".csv"):
		if ct := header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
	case strings.HasSuffix(path, "/download") || strings.HasSuffix(path, ".html"):
	case strings.HasSuffix(path, "/inventory"):
		var inv InventoryEntity
		if err := json.Unmarshal(body, &inv); err != nil || len(inv.Items) == 0 {
			t.Errorf("%s %s: not an inventory: %v: %.200s", method, path, err, body)
		}
	case method == http.MethodGet && path == "/api/v1/roost/exports":
		var list []ExportEntity
		if err := json.Unmarshal(body, &list); err != nil {
			t.Errorf("%s %s: not a list of exports: %v: %.200s", method, path, err, body)
		}
	default:
		var ex ExportEntity
		if err := json.Unmarshal(body, &ex); err != nil || ex.ID == "" || ex.State == "" || ex.ExpiresAt == "" {
			t.Errorf("%s %s: not an export: %v: %.200s", method, path, err, body)
		}
	}
}

// TestCSVExports: GoToSocial's CSV endpoints answer Mastodon's formats,
// each under its own scope, with the caller's data alone.
func TestCSVExports(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice, tok := e.user(t, "alice", "read")
	bob, _ := e.user(t, "bob", "read")
	_, other := e.user(t, "carol", "read:follows")
	me := &core.Auth{Account: alice}
	if _, err := e.svc.Follow(ctx, me, bob.ID, core.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Mute(ctx, me, bob.ID, false, 0); err != nil {
		t.Fatal(err)
	}
	domain := e.svc.Settings().Domain
	for path, want := range map[string]string{
		"/api/v1/exports/following.csv":     "Account address,Show boosts,Notify on new posts,Languages\nbob@" + domain + ",true,false,\n",
		"/api/v1/exports/mutes.csv":         "Account address,Hide notifications\nbob@" + domain + ",false\n",
		"/api/v1/exports/blocks.csv":        "",
		"/api/v1/exports/lists.csv":         "",
		"/api/v1/exports/domain_blocks.csv": "",
	} {
		code, h, body := e.do(t, "GET", path, tok, nil)
		if code != 200 || string(body) != want || h.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("%s: %d %q, want %q", path, code, body, want)
		}
	}
	code, _, body := e.do(t, "GET", "/api/v1/exports/following.csv", other, nil)
	if code != 200 || strings.Contains(string(body), "bob@") {
		t.Errorf("carol's following.csv: %d %q", code, body)
	}
	if code, _, _ := e.do(t, "GET", "/api/v1/exports/mutes.csv", other, nil); code != http.StatusForbidden {
		t.Errorf("mutes.csv with read:follows: %d, want 403", code)
	}
}
