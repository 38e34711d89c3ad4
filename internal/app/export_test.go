package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// exportEntity is the part of Roost's export entity the test reads.
type exportEntity struct {
	ID          string
	State       string
	Progress    int
	DownloadURL *string `json:"download_url"`
}

// TestExportArchive is issue 4 §5's proof through the real server: alice
// posts, follows, favourites, bookmarks, boosts, blocks, mutes and hides a
// domain; she asks for her archive, the job builds it with progress, and
// the zip she downloads holds her posts (direct ones too) in outbox.json
// and her relationships in Mastodon's CSV formats. Bob cannot see or
// download her export, and an expired export is gone.
func TestExportArchive(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		s := startServer(t, db)
		hc := &http.Client{Timeout: 30 * time.Second}
		alice, bob, carol, dave := s.apiUser(t, hc, "alice"), s.apiUser(t, hc, "bob"), s.apiUser(t, hc, "carol"), s.apiUser(t, hc, "dave")
		domain := strings.TrimPrefix(s.URL, "http://")

		pub := alice.post(url.Values{"status": {"export canary public post"}, "visibility": {"public"}})
		dm := alice.post(url.Values{"status": {"@bob export canary direct message"}, "visibility": {"direct"}})
		bobs := bob.post(url.Values{"status": {"bob's post"}, "visibility": {"public"}})
		alice.must("POST", "/api/v1/accounts/"+bob.id+"/follow", url.Values{"reblogs": {"false"}, "notify": {"true"}}, nil)
		alice.must("POST", "/api/v1/statuses/"+bobs.ID+"/favourite", nil, nil)
		alice.must("POST", "/api/v1/statuses/"+bobs.ID+"/bookmark", nil, nil)
		alice.must("POST", "/api/v1/statuses/"+bobs.ID+"/reblog", nil, nil)
		alice.must("POST", "/api/v1/accounts/"+carol.id+"/block", nil, nil)
		alice.must("POST", "/api/v1/accounts/"+dave.id+"/mute", url.Values{"notifications": {"true"}}, nil)
		alice.must("POST", "/api/v1/domain_blocks", url.Values{"domain": {"spam.example"}}, nil)

		var ex exportEntity
		if code := alice.call("POST", "/api/v1/roost/exports", nil, &ex); code != http.StatusAccepted {
			t.Fatalf("POST exports: %d", code)
		}
		made := 1
		switch code := alice.call("POST", "/api/v1/roost/exports", nil, nil); code {
		case http.StatusUnprocessableEntity: // while the first is being made
		case http.StatusAccepted: // the first was done already
			made++
		default:
			t.Errorf("second POST: %d", code)
		}
		eventually(t, "the export job", func() bool {
			alice.must("GET", "/api/v1/roost/exports/"+ex.ID, nil, &ex)
			return ex.State == "ready"
		})
		if ex.Progress != 100 || ex.DownloadURL == nil {
			t.Fatalf("ready export: %+v", ex)
		}
		base := "/api/v1/roost/exports/" + ex.ID
		for _, p := range []string{base, base + "/download"} {
			if code := bob.call("GET", p, nil, nil); code != http.StatusNotFound {
				t.Errorf("bob GET %s: %d, want 404", p, code)
			}
		}

		files := download(t, alice, base+"/download")
		checkOutbox(t, files["outbox.json"], pub, dm, bobs)
		checkActor(t, files["actor.json"])
		if !bytes.Contains(files["likes.json"], []byte(bobs.URI)) || !bytes.Contains(files["bookmarks.json"], []byte(bobs.URI)) {
			t.Errorf("likes.json or bookmarks.json lack %s:\n%s\n%s", bobs.URI, files["likes.json"], files["bookmarks.json"])
		}
		wantCSV(t, files["following_accounts.csv"], [][]string{
			{"Account address", "Show boosts", "Notify on new posts", "Languages"}, {"bob@" + domain, "false", "true", ""}})
		wantCSV(t, files["blocked_accounts.csv"], [][]string{{"carol@" + domain}})
		wantCSV(t, files["muted_accounts.csv"], [][]string{{"Account address", "Hide notifications"}, {"dave@" + domain, "true"}})
		wantCSV(t, files["blocked_domains.csv"], [][]string{{"spam.example"}})
		wantCSV(t, files["bookmarks.csv"], [][]string{{bobs.URI}})
		if _, ok := files["lists.csv"]; !ok || !bytes.Contains(files["README.txt"], []byte("Media: none")) {
			t.Errorf("no lists.csv, or README.txt does not say there is no media")
		}

		var inv struct {
			Items []struct {
				Category string
				Count    *int
			}
		}
		alice.must("GET", "/api/v1/roost/inventory", nil, &inv)
		counted := map[string]int{}
		for _, it := range inv.Items {
			if it.Count != nil {
				counted[it.Category] = *it.Count
			}
		}
		if counted["exports"] != made || counted["posts"] < 2 {
			t.Errorf("inventory counts %v, want %d exports and her posts", counted, made)
		}

		// Expired: the cleanup deletes it, and it is gone for alice too.
		n, err := s.app.Service().PurgeExpiredExports(context.Background(), time.Now().Add(25*time.Hour))
		if err != nil || n != made {
			t.Fatalf("PurgeExpiredExports = %d, %v; want %d", n, err, made)
		}
		for _, p := range []string{base, base + "/download"} {
			if code := alice.call("GET", p, nil, nil); code != http.StatusNotFound {
				t.Errorf("expired %s: %d, want 404", p, code)
			}
		}
		id, _ := model.ParseID(ex.ID)
		if _, err := s.app.Store().ExportByID(context.Background(), id); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("expired export still stored: %v", err)
		}
		s.assertLogsClean(t, "export canary", alice.tok)
	})
}

// download fetches a zip archive and returns its files.
func download(t *testing.T, u *fedUser, path string) map[string][]byte {
	t.Helper()
	req, _ := http.NewRequest("GET", u.s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+u.tok)
	res, err := u.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

// checkOutbox finds alice's public post and direct message as Creates and
// her boost of bob's post as an Announce, oldest first.
func checkOutbox(t *testing.T, b []byte, pub, dm, boosted fedStatus) {
	t.Helper()
	var col struct {
		Context    any `json:"@context"`
		Type       string
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID, Type string
			Object   json.RawMessage
		} `json:"orderedItems"`
	}
	if err := json.Unmarshal(b, &col); err != nil || col.Type != "OrderedCollection" || col.Context == nil {
		t.Fatalf("outbox.json: %v\n%s", err, b)
	}
	if col.TotalItems != 3 || len(col.Items) != 3 {
		t.Fatalf("outbox.json has %d items (total %d), want 3:\n%s", len(col.Items), col.TotalItems, b)
	}
	for i, want := range []struct{ typ, text string }{{"Create", pub.URI}, {"Create", dm.URI}, {"Announce", boosted.URI}} {
		it := col.Items[i]
		if it.Type != want.typ || !bytes.Contains(it.Object, []byte(want.text)) {
			t.Errorf("outbox item %d = %s %s, want %s of %s", i, it.Type, it.Object, want.typ, want.text)
		}
	}
	if !bytes.Contains(col.Items[0].Object, []byte("export canary public post")) ||
		!bytes.Contains(col.Items[1].Object, []byte("export canary direct message")) {
		t.Errorf("outbox.json lacks the posts' text:\n%s", b)
	}
}

func checkActor(t *testing.T, b []byte) {
	t.Helper()
	var actor struct {
		Type, PreferredUsername, Outbox, Likes, Bookmarks string
		PublicKey                                         struct{ PublicKeyPem string }
	}
	if err := json.Unmarshal(b, &actor); err != nil || actor.Type != "Person" || actor.PreferredUsername != "alice" ||
		actor.Outbox != "outbox.json" || actor.Likes != "likes.json" || actor.Bookmarks != "bookmarks.json" ||
		!strings.Contains(actor.PublicKey.PublicKeyPem, "PUBLIC KEY") {
		t.Errorf("actor.json: %v\n%s", err, b)
	}
}

func wantCSV(t *testing.T, b []byte, want [][]string) {
	t.Helper()
	got, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, b)
	}
	if len(got) != len(want) {
		t.Errorf("csv rows %q, want %q", got, want)
		return
	}
	for i := range got {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("csv row %d = %q, want %q", i, got[i], want[i])
		}
	}
}
