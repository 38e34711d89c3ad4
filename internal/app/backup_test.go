package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store/postgres"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/vault"
)

// TestBackupCannotReviveDeletedAccount is the proof that crypto-shredding
// reaches backups (issue 4 §3). Three users write canaries into their
// profiles, posts, content warnings and direct messages; `roost backup`
// copies the data while the server runs; bob deletes his account; the
// server stops and `roost restore` puts the old backup back beside the
// current key store. Bob's rows are back but open only as ErrShredded,
// while alice's and carol's read as written; no canary is anywhere in the
// backup or the restored files except as ciphertext, and the backup holds
// no key. Finally, on SQLite, a key-store backup from before the deletion
// opens bob's data again: why key-store copies must be short-lived.
func TestBackupCannotReviveDeletedAccount(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		s, stop := startStoppable(t, db, nil, app.Options{})
		cfg := loadConfig(t, s.flags...)
		users := map[string]*canaryUser{}
		for _, name := range []string{"alice", "bob", "carol"} {
			users[name] = newCanaryUser(t, s, name)
		}
		for name, u := range users {
			u.writeCanaries(map[string]string{"alice": "bob", "bob": "carol", "carol": "alice"}[name])
		}
		for _, u := range users {
			u.checkReadable(ctx, s.app)
		}
		ks := openKeyStore(t, cfg)
		var wrapped [][]byte
		for _, u := range users {
			keys, err := ks.OwnerKeys(ctx, u.acct.ID)
			if err != nil || len(keys) == 0 {
				t.Fatalf("%s has no keys: %v", u.name, err)
			}
			for _, k := range keys {
				wrapped = append(wrapped, k.Wrapped)
			}
		}
		ks.Close()

		backups := t.TempDir()
		out := s.roost(t, "", "backup", "--to", backups)
		file := onlyFile(t, backups)
		if !strings.Contains(out, file) {
			t.Errorf("backup output does not name %s:\n%s", file, out)
		}
		keyCopy := filepath.Join(t.TempDir(), "keys-copy")
		kout, kerr, code := runCLI("", append([]string{"backup", "--keys", "--to", keyCopy}, s.flags...)...)
		if code != 0 || !strings.Contains(kout, keyCopy) || !strings.Contains(kerr, "WARNING") {
			t.Fatalf("backup --keys: exit %d\n%s\n%s", code, kout, kerr)
		}
		scanForClearText(t, file, users, wrapped)
		if b, err := os.ReadFile(keyCopy); err != nil || !holdsKey(b, wrapped) {
			t.Fatalf("the scan cannot see keys: none in the key-store copy (%v)", err)
		}

		bob := users["bob"]
		if code := bob.u.call(http.MethodPost, "/api/v1/accounts/delete", url.Values{"password": {"password-bob"}}, nil); code != http.StatusAccepted {
			t.Fatalf("bob's deletion: %d, want 202", code)
		}
		if code := users["carol"].u.call(http.MethodGet, "/api/v1/statuses/"+model.FormatID(bob.post), nil, nil); code != http.StatusNotFound {
			t.Errorf("bob's post after his deletion: %d, want 404", code)
		}
		stop()

		if _, e, code := runCLI("", append([]string{"restore", "--from", file}, s.flags...)...); code == 0 || !strings.Contains(e, "--replace") {
			t.Errorf("restore over existing data without --replace: exit %d, %s", code, e)
		}
		s.roost(t, "", "restore", "--from", file, "--replace")

		restored, err := app.Open(ctx, cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatalf("open the restored data: %v", err)
		}
		bob.checkShredded(ctx, restored)
		users["alice"].checkReadable(ctx, restored)
		users["carol"].checkReadable(ctx, restored)
		restored.Close()

		// The deletion is then finished: bob's unreadable rows go, his name
		// is reserved again, and the others stay as they were.
		if out := s.roost(t, "", "admin", "forget-unreadable"); !strings.Contains(out, "bob:") || strings.Contains(out, "alice") || strings.Contains(out, "carol") {
			t.Errorf("forget-unreadable said:\n%s", out)
		}
		restored, err = app.Open(ctx, cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatalf("open the restored data: %v", err)
		}
		defer restored.Close()
		if _, err := restored.Store().Account(ctx, bob.acct.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("bob's account after forget-unreadable: %v, want ErrNotFound", err)
		}
		if d, err := restored.Store().DeletedUsername(ctx, "bob"); err != nil || !d.ReservedUntil.After(time.Now()) {
			t.Errorf("bob's name after forget-unreadable: %v %+v, want reserved", err, d)
		}
		users["alice"].checkReadable(ctx, restored)
		users["carol"].checkReadable(ctx, restored)
		if out := s.roost(t, "", "admin", "forget-unreadable"); !strings.Contains(out, "nothing to do") {
			t.Errorf("forget-unreadable again said:\n%s", out)
		}

		// The restored files too hold the canaries only as ciphertext.
		again := filepath.Join(t.TempDir(), "after-restore")
		if _, err := app.Backup(ctx, cfg, app.BackupOptions{To: again}); err != nil {
			t.Fatal(err)
		}
		scanForClearText(t, again, users, wrapped)
		if db.name == "sqlite" {
			for _, f := range []string{"roost.db", "roost.db-wal"} {
				scanForClearText(t, filepath.Join(cfg.DataDir, f), users, wrapped)
			}
			keyCopyRevives(t, cfg, file, keyCopy, bob)
		}
	})
}

// keyCopyRevives puts the data backup beside the key-store copy made
// before the deletion: bob's data opens again, which is why a key-store
// copy may live only as long as docs/PRIVACY.md says.
func keyCopyRevives(t *testing.T, cfg *config.Config, data, keys string, bob *canaryUser) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if err := sqlite.Restore(data, dir, false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sqlite.KeyFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	old := loadConfig(t, "--data-dir", dir, "--master-key-file", cfg.MasterKeyFile, "--domain", cfg.Domain)
	a, err := app.Open(ctx, old, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bob.checkReadable(ctx, a)
}

// canaryUser is an account with a canary in every field it writes.
type canaryUser struct {
	t        *testing.T
	name     string
	acct     *model.Account
	u        *fedUser
	canaries map[string]string // field → canary
	post, dm int64
}

func newCanaryUser(t *testing.T, s *server, name string) *canaryUser {
	t.Helper()
	ctx := context.Background()
	c := &canaryUser{t: t, name: name, canaries: map[string]string{}}
	svc := s.app.Service()
	acct, err := svc.CreateUser(ctx, core.NewUser{Username: name, Email: c.canary("email") + "@example.org",
		Password: "password-" + name, Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	ap, _, err := svc.CreateApp(ctx, core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.PasswordGrant(ctx, ap, name, "password-"+name, "read write")
	if err != nil {
		t.Fatal(err)
	}
	c.acct = acct
	c.u = &fedUser{t: t, s: s, tok: g.AccessToken, id: model.FormatID(acct.ID), hc: &http.Client{}}
	return c
}

func (c *canaryUser) canary(field string) string {
	b := make([]byte, 6) // display names take 30 characters at most
	_, _ = rand.Read(b)
	v := "canary" + c.name + field + hex.EncodeToString(b)
	c.canaries[field] = v
	return v
}

// writeCanaries sets the profile, posts in public with a content warning
// and sends a direct message to dmTo.
func (c *canaryUser) writeCanaries(dmTo string) {
	c.u.must(http.MethodPatch, "/api/v1/accounts/update_credentials",
		url.Values{"display_name": {c.canary("name")}, "note": {c.canary("bio")}}, nil)
	st := c.u.post(url.Values{"status": {c.canary("post")}, "spoiler_text": {c.canary("cw")}, "visibility": {"public"}})
	c.post = mustID(c.t, st.ID)
	dm := c.u.post(url.Values{"status": {"@" + dmTo + " " + c.canary("dm")}, "visibility": {"direct"}})
	c.dm = mustID(c.t, dm.ID)
}

// checkReadable reads the user's canaries back through a's store.
func (c *canaryUser) checkReadable(ctx context.Context, a *app.App) {
	c.t.Helper()
	st := a.Store()
	acct, err := st.Account(ctx, c.acct.ID)
	if err != nil {
		c.t.Fatalf("%s's account: %v", c.name, err)
	}
	if acct.DisplayName != c.canaries["name"] || acct.Note != c.canaries["bio"] {
		c.t.Errorf("%s's profile reads %q / %q", c.name, acct.DisplayName, acct.Note)
	}
	if u, err := st.User(ctx, c.acct.ID); err != nil || u.Email != c.canaries["email"]+"@example.org" {
		c.t.Errorf("%s's user: %v", c.name, err)
	}
	post, err := st.Status(ctx, c.post)
	if err != nil || post.Text != c.canaries["post"] || post.SpoilerText != c.canaries["cw"] {
		c.t.Errorf("%s's post: %v %+v", c.name, err, post)
	}
	dm, err := st.Status(ctx, c.dm)
	if err != nil || !strings.Contains(dm.Text, c.canaries["dm"]) || dm.Visibility != model.VisibilityDirect {
		c.t.Errorf("%s's direct message: %v %+v", c.name, err, dm)
	}
}

// checkShredded finds the user's rows in a's store, every one unreadable.
func (c *canaryUser) checkShredded(ctx context.Context, a *app.App) {
	c.t.Helper()
	st := a.Store()
	if _, err := st.Account(ctx, c.acct.ID); !errors.Is(err, model.ErrShredded) {
		c.t.Errorf("%s's restored account: %v, want ErrShredded", c.name, err)
	}
	if _, err := st.User(ctx, c.acct.ID); !errors.Is(err, model.ErrShredded) {
		c.t.Errorf("%s's restored user: %v, want ErrShredded", c.name, err)
	}
	for _, id := range []int64{c.post, c.dm} {
		if _, err := st.Status(ctx, id); !errors.Is(err, model.ErrShredded) {
			c.t.Errorf("%s's restored status %d: %v, want ErrShredded", c.name, id, err)
		}
	}
}

// scanForClearText reads path byte by byte: no canary may be in it, as
// text or as the hex a dump writes bytea in, and no wrapped key.
func scanForClearText(t *testing.T, path string, users map[string]*canaryUser, wrapped [][]byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return // a WAL that was checkpointed away
	}
	if err != nil {
		t.Fatal(err)
	}
	lower := bytes.ToLower(b)
	if !strings.HasSuffix(path, "-wal") && !bytes.Contains(b, []byte("carol")) {
		t.Fatalf("the scan cannot see the data: no username in %s", filepath.Base(path))
	}
	for _, u := range users {
		for field, c := range u.canaries {
			if bytes.Contains(b, []byte(c)) || bytes.Contains(lower, []byte(hex.EncodeToString([]byte(c)))) {
				t.Errorf("%s's %s in clear in %s", u.name, field, filepath.Base(path))
			}
		}
	}
	if holdsKey(b, wrapped) {
		t.Errorf("a wrapped key is in %s", filepath.Base(path))
	}
}

// holdsKey reports whether b holds one of the wrapped keys, as bytes or as
// hex.
func holdsKey(b []byte, wrapped [][]byte) bool {
	lower := bytes.ToLower(b)
	for _, w := range wrapped {
		if bytes.Contains(b, w) || bytes.Contains(lower, []byte(hex.EncodeToString(w))) {
			return true
		}
	}
	return false
}

// openKeyStore opens cfg's key store beside the running server's.
func openKeyStore(t *testing.T, cfg *config.Config) interface {
	vault.KeyStore
	io.Closer
} {
	t.Helper()
	if cfg.Database.Driver != config.DriverPostgres {
		ks, err := sqlite.OpenKeyStore(filepath.Join(cfg.DataDir, sqlite.KeyFile))
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	u, err := url.Parse(cfg.Database.URL)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := postgres.OpenKeyStore(context.Background(), cfg.Database.URL, u.Query().Get("search_path")+"_keys")
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func onlyFile(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil || len(es) != 1 {
		t.Fatalf("%s holds %d entries (%v), want one backup", dir, len(es), err)
	}
	return filepath.Join(dir, es[0].Name())
}
