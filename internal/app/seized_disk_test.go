package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// TestSeizedDisk is issue 4's proof: what a seized disk and the logs give
// away. On two Roost servers federating over loopback, every field of
// every kind of data holds a unique canary written through the API:
// sign-up email and reason, display name, bio, profile fields, posts,
// content warnings, hashtags, edits, direct messages (local and to the other
// server), private notes, report comments (one forwarded), an admin's
// domain-block comments and an export archive. Every request comes
// through a trusted proxy from a canary address with a canary user agent.
// Roost has no media, so there are no media descriptions to seed; alias
// and move targets are public URIs, not personal text.
//
// Some rows are then moved into a month three months back (ageRows: the
// servers read the real clock, and key periods are real months): carol's
// direct message, closed report, an expired export, a post her auto-delete
// takes and a pinned one it keeps, and two cached posts of dave's, one
// alice favourited.
//
// Then a backup is taken, bob deletes his account, the retention sweep
// purges the old rows and retires the month's keys (re-sealing the pinned
// and the favourited posts, which it keeps), and every byte is
// scanned: each server's data directory (databases, WAL and shared-memory
// files, key store, master key), a pg_dump of each data and key schema on
// PostgreSQL, the old backup and both logs. The address and the user agent
// are nowhere, in any encoding; each canary is nowhere in clear (nor as
// hex, base64 or an unkeyed hash); the purged rows are gone. Finally the
// old backup is restored beside the current key store: all of bob's rows
// are back and none opens, nor do the purged rows of the old month (their
// keys are gone), while alice's and carol's other rows read as written.
func TestSeizedDisk(t *testing.T) {
	checkScanner(t)
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		client := newClientCanary()
		hc := &http.Client{Timeout: 30 * time.Second, Transport: &canaryTransport{c: client}}
		a, stopA := startStoppable(t, db, []string{"--dev-allow-private-networks",
			"--http-trusted-proxies", "127.0.0.1/32,::1",
			"--retention-direct-messages-days", "1", "--retention-closed-reports-days", "1"},
			app.Options{Version: "test", Delivery: fastDelivery()})
		b := startDeliveryPeer(t, db, fastDelivery())
		cfgA, cfgB := loadConfig(t, a.flags...), loadConfig(t, b.flags...)

		alice := signUpCanaryUser(t, a, hc, "alice")
		bob, carol, dave := newCanaryUser(t, a, "bob"), newCanaryUser(t, a, "carol"), newCanaryUser(t, b, "dave")
		root := &canaryUser{t: t, name: "root", canaries: map[string]string{}, u: staffUser(t, a, hc, "root")}
		for _, u := range []*canaryUser{bob, carol, dave} {
			u.u.hc = hc
		}
		users := map[string]*canaryUser{"alice": alice, "bob": bob, "carol": carol, "dave": dave, "root": root}
		checkProxyCounted(t, a, hc)

		// alice@A and dave@B follow each other.
		aliceHandle, daveHandle := "alice@"+a.host(), "dave@"+b.host()
		daveOnA, aliceOnB := alice.u.resolve(daveHandle), dave.u.resolve(aliceHandle)
		alice.u.must(http.MethodPost, "/api/v1/accounts/"+daveOnA+"/follow", nil, nil)
		dave.u.must(http.MethodPost, "/api/v1/accounts/"+aliceOnB+"/follow", nil, nil)
		eventually(t, "alice and dave following each other", func() bool {
			return alice.u.relationship(daveOnA).Following && dave.u.relationship(aliceOnB).Following
		})

		// Every field of every account.
		more := map[*canaryUser]*seizedExtras{}
		for _, s := range []struct {
			u          *canaryUser
			dmTo, note string
		}{{alice, "carol", carol.u.id}, {bob, "carol", alice.u.id}, {carol, "alice", bob.u.id}, {dave, aliceHandle, aliceOnB}} {
			more[s.u] = writeMoreCanaries(s.u, s.note)
			s.u.writeCanaries(s.dmTo)
		}
		remoteDM := alice.u.post(url.Values{"status": {"@" + daveHandle + " " + alice.canary("dmremote")}, "visibility": {"direct"}})
		more[alice].dmRemote = mustID(t, remoteDM.ID)
		more[alice].report = report(alice, daveOnA, alice.canary("report"), true)
		more[bob].report = report(bob, alice.u.id, bob.canary("report"), false)
		root.u.must(http.MethodPost, "/api/v1/admin/domain_blocks", url.Values{"domain": {"blocked.example"},
			"severity": {"silence"}, "private_comment": {root.canary("dbprivate")}, "public_comment": {root.canary("dbpublic")}}, nil)
		for _, u := range []*canaryUser{alice, bob} {
			more[u].export = requestExport(u)
		}

		// The other server got what it was sent: posts, the direct message
		// and the forwarded report.
		eventually(t, "alice's post and direct message on B", func() bool {
			return hasStatus(dave.u.home(), alice.canaries["post"]) && hasMention(dave.u.notifications(), alice.canaries["dmremote"])
		})
		eventually(t, "dave's post and direct message on A", func() bool {
			return hasStatus(alice.u.home(), dave.canaries["post"]) && hasMention(alice.u.notifications(), dave.canaries["dm"])
		})
		eventually(t, "the forwarded report on B", func() bool {
			rs, err := b.app.Store().Reports(ctx, store.ReportFilter{}, store.Page{Limit: 10})
			return err == nil && len(rs) == 1 && rs[0].Comment == alice.canaries["report"]
		})

		// What the purge will take: carol's old direct message and a report
		// of hers that a moderator closed long ago.
		purgedDM := mustID(t, carol.u.post(url.Values{"status": {"@alice " + carol.canary("purgedm")}, "visibility": {"direct"}}).ID)
		purgedReport := report(carol, alice.u.id, carol.canary("purgereport"), false)
		root.u.must(http.MethodPost, "/api/v1/admin/reports/"+model.FormatID(purgedReport)+"/resolve", nil, nil)
		old := ageForRetirement(t, a, cfgA, alice, carol, dave, daveOnA)
		old.dm, old.report = purgedDM, purgedReport
		ageRows(t, a, cfgA, old.at, agedStatus(purgedDM, carol.acct.ID, vault.ClassDirect),
			agedRow{"reports", purgedReport, carol.acct.ID, vault.ClassReports, []string{"comment"}})

		wrapped := wrappedKeys(t, cfgA, alice, bob, carol)
		backups := t.TempDir()
		a.roost(t, "", "backup", "--to", backups)
		oldBackup := onlyFile(t, backups)

		if code := bob.u.call(http.MethodPost, "/api/v1/accounts/delete", url.Values{"password": {"password-bob"}}, nil); code != http.StatusAccepted {
			t.Fatalf("bob's deletion: %d, want 202", code)
		}
		// alice's open report on dave keeps his posts as evidence; resolved
		// (only now, so the report itself is kept), they may go.
		root.u.must(http.MethodPost, "/api/v1/admin/reports/"+model.FormatID(more[alice].report)+"/resolve", nil, nil)
		purged := old.backdate(t, a)
		maps.Copy(purged, purge(t, a, purgedDM, purgedReport))
		old.checkRetired(t, a, cfgA)

		// The seized disks, the servers still running.
		secrets := client.secrets()
		for _, u := range users {
			for field, c := range u.canaries {
				secrets[u.name+"'s "+field] = c
			}
		}
		for _, cfg := range []*config.Config{cfgA, cfgB} {
			scanDisk(t, cfg, secrets, purged) // B never held the purged rows: no harm in looking
		}
		scanFile(t, oldBackup, secrets)
		scanForClearText(t, oldBackup, users, wrapped)
		scanLogs(t, "A", a.logs, secrets)
		scanLogs(t, "B", b.logs, secrets)
		for _, s := range []*server{a, b} {
			s.assertLogsClean(t, alice.u.tok, bob.u.tok, carol.u.tok, dave.u.tok, root.u.tok)
		}

		// A stopped (its WAL checkpointed away), then the old backup
		// restored beside the current key store.
		stopA()
		scanDisk(t, cfgA, secrets, purged)
		if db.name == "sqlite" {
			scanForClearText(t, filepath.Join(cfgA.DataDir, "roost.db"), users, wrapped)
		}
		a.roost(t, "", "restore", "--from", oldBackup, "--replace")
		logs := &syncBuffer{}
		restored, err := app.Open(ctx, cfgA, app.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
		if err != nil {
			t.Fatalf("open the restored data: %v", err)
		}
		defer restored.Close()
		bob.checkShredded(ctx, restored)
		checkExtrasShredded(t, restored, bob, more[bob])
		for _, u := range []*canaryUser{alice, carol} {
			u.checkReadable(ctx, restored)
			checkExtrasReadable(t, restored, u, more[u])
		}
		old.checkShredded(t, restored)
		scanDisk(t, cfgA, secrets, nil)
		scanLogs(t, "the restored A", logs, secrets)
	})
}

// seizedExtras are the ids of a user's canary rows beyond canaryUser's.
type seizedExtras struct {
	noteOn                           int64 // the target of the user's private note
	edited, report, export, dmRemote int64
}

// signUpCanaryUser signs name up on s through the API, as an app does,
// with a canary email and reason, and returns it as a canaryUser whose
// calls go through hc.
func signUpCanaryUser(t *testing.T, s *server, hc *http.Client, name string) *canaryUser {
	t.Helper()
	c := &canaryUser{t: t, name: name, canaries: map[string]string{}}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	postForm(t, s, hc, "", "/api/v1/apps", url.Values{"client_name": {"signup"},
		"redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}}, &app)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	postForm(t, s, hc, "", "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"read write"},
		"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}, &tok)
	postForm(t, s, hc, tok.AccessToken, "/api/v1/accounts", url.Values{"username": {name},
		"email": {c.canary("email") + "@example.org"}, "reason": {c.canary("reason")},
		"password": {"password-" + name}, "agreement": {"true"}, "locale": {"en"}}, &tok)
	u := &fedUser{t: t, s: s, tok: tok.AccessToken, hc: hc}
	var me struct{ ID string }
	u.must(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, &me)
	u.id = me.ID
	acct, err := s.app.Store().Account(context.Background(), mustID(t, me.ID))
	if err != nil {
		t.Fatal(err)
	}
	c.acct, c.u = acct, u
	return c
}

// postForm posts form to s at path through hc, with tok as the bearer
// token unless it is empty, and decodes the 200 answer into out.
func postForm(t *testing.T, s *server, hc *http.Client, tok, path string, form url.Values, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
}

// checkProxyCounted fails t unless s takes the forwarded address for the
// client: loopback is never rate-limited, the canary addresses are.
func checkProxyCounted(t *testing.T, s *server, hc *http.Client) {
	t.Helper()
	for range 2 { // one request from each address
		res, err := hc.Get(s.URL + "/api/v1/instance")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("X-RateLimit-Limit") == "" {
			t.Fatal("the forwarded address was not taken for the client's")
		}
	}
}

// writeMoreCanaries writes the canaries canaryUser.writeCanaries does
// not: profile fields, a private note on noteOn, and a post with a
// hashtag, edited.
func writeMoreCanaries(c *canaryUser, noteOn string) *seizedExtras {
	c.t.Helper()
	x := &seizedExtras{noteOn: mustID(c.t, noteOn)}
	c.u.must(http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{
		"fields_attributes[0][name]": {c.canary("fieldname")}, "fields_attributes[0][value]": {c.canary("fieldvalue")}}, nil)
	c.u.must(http.MethodPost, "/api/v1/accounts/"+noteOn+"/note", url.Values{"comment": {c.canary("note")}}, nil)
	st := c.u.post(url.Values{"status": {c.canary("post2") + " #" + c.canary("hashtag")}, "visibility": {"unlisted"}})
	c.u.must(http.MethodPut, "/api/v1/statuses/"+st.ID, url.Values{"status": {c.canary("edit")}}, nil)
	x.edited = mustID(c.t, st.ID)
	return x
}

// report files a report by c on target and returns its id.
func report(c *canaryUser, target, comment string, forward bool) int64 {
	c.t.Helper()
	var rep struct{ ID string }
	c.u.must(http.MethodPost, "/api/v1/reports", url.Values{"account_id": {target}, "comment": {comment},
		"forward": {map[bool]string{true: "true", false: "false"}[forward]}, "category": {"other"}}, &rep)
	return mustID(c.t, rep.ID)
}

// requestExport asks for c's archive and waits until it is built.
func requestExport(c *canaryUser) int64 {
	c.t.Helper()
	var ex exportEntity
	if code := c.u.call(http.MethodPost, "/api/v1/roost/exports", nil, &ex); code != http.StatusAccepted {
		c.t.Fatalf("%s's export: %d", c.name, code)
	}
	eventually(c.t, c.name+"'s export", func() bool {
		c.u.must(http.MethodGet, "/api/v1/roost/exports/"+ex.ID, nil, &ex)
		return ex.State == "ready"
	})
	return mustID(c.t, ex.ID)
}

func hasStatus(sts []fedStatus, text string) bool {
	for _, st := range sts {
		if strings.Contains(st.Content, text) {
			return true
		}
	}
	return false
}

func hasMention(ns []fedNotification, text string) bool {
	for _, n := range ns {
		if n.Type == "mention" && n.Status != nil && strings.Contains(n.Status.Content, text) {
			return true
		}
	}
	return false
}

// wrappedKeys returns the users' wrapped data keys, which no data file
// may hold.
func wrappedKeys(t *testing.T, cfg *config.Config, users ...*canaryUser) [][]byte {
	t.Helper()
	ks := openKeyStore(t, cfg)
	defer ks.Close()
	var wrapped [][]byte
	for _, u := range users {
		keys, err := ks.OwnerKeys(context.Background(), u.acct.ID)
		if err != nil || len(keys) == 0 {
			t.Fatalf("%s has no keys: %v", u.name, err)
		}
		for _, k := range keys {
			wrapped = append(wrapped, k.Wrapped)
		}
	}
	return wrapped
}

// purge backdates the direct message and the closed report past the
// one-day retention, runs the sweep through the queue, and returns their
// ciphertexts as they were stored, which no current file may hold after.
func purge(t *testing.T, s *server, dm, rep int64) map[string]string {
	t.Helper()
	ctx := context.Background()
	raw := rawDB{t, s.app}
	long := time.Now().Add(-72 * time.Hour).UnixMicro()
	raw.exec("UPDATE statuses SET created_at = ? WHERE id = ?", long, dm)
	raw.exec("UPDATE reports SET action_taken_at = ? WHERE id = ?", long, rep)
	gone := map[string]string{
		"the purged message's ciphertext": string(raw.bytes("SELECT text FROM statuses WHERE id = ?", dm)),
		"the purged report's ciphertext":  string(raw.bytes("SELECT comment FROM reports WHERE id = ?", rep)),
	}
	res, err := s.app.Queue().Insert(ctx, retention.PurgeArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the purge job to complete", func() bool { return jobState(t, s.app, res.Job.ID) == "completed" })
	st := s.app.Store()
	if _, err := st.Status(ctx, dm); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the old direct message: %v, want purged", err)
	}
	if _, err := st.Report(ctx, rep); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the closed report: %v, want purged", err)
	}
	return gone
}

// scanDisk scans everything cfg's server keeps: its data directory and,
// on PostgreSQL, a dump of its data schema and of its key schema. No
// secret may be in any of it, nor (when purged is given) a purged row's
// ciphertext in the data.
func scanDisk(t *testing.T, cfg *config.Config, secrets, purged map[string]string) {
	t.Helper()
	files := scanTree(t, cfg.DataDir, secrets)
	data := filepath.Join(cfg.DataDir, "roost.db")
	if cfg.Database.Driver == config.DriverPostgres {
		dir := t.TempDir()
		data = filepath.Join(dir, "data.sql")
		for _, o := range []app.BackupOptions{{To: data}, {To: filepath.Join(dir, "keys.sql"), Keys: true}} {
			if _, err := app.Backup(context.Background(), cfg, o); err != nil {
				t.Fatal(err)
			}
			scanFile(t, o.To, secrets)
		}
	} else if !strings.Contains(strings.Join(files, " "), "keys.db") {
		t.Fatalf("the scan of %s missed the key store: %v", cfg.DataDir, files)
	}
	if purged == nil {
		return
	}
	scanFile(t, data, purged)
	if cfg.Database.Driver != config.DriverPostgres {
		for _, f := range files {
			if strings.HasPrefix(f, "roost.db-") {
				scanFile(t, filepath.Join(cfg.DataDir, f), purged)
			}
		}
	}
}

// checkExtrasReadable reads c's other canaries back through a's store.
func checkExtrasReadable(t *testing.T, a *app.App, c *canaryUser, x *seizedExtras) {
	t.Helper()
	ctx := context.Background()
	st := a.Store()
	acct, err := st.Account(ctx, c.acct.ID)
	if err != nil || len(acct.Fields) != 1 || acct.Fields[0].Name != c.canaries["fieldname"] || acct.Fields[0].Value != c.canaries["fieldvalue"] {
		t.Errorf("%s's profile fields: %v %+v", c.name, err, acct)
	}
	// Registration is open here, so the reason sent with the sign-up is
	// not kept at all (it is kept, sealed, only while an admin reviews it).
	if _, ok := c.canaries["reason"]; ok {
		if u, err := st.User(ctx, c.acct.ID); err != nil || u.Reason != "" {
			t.Errorf("%s's sign-up reason was kept by an open registration: %v", c.name, err)
		}
	}
	if rels, err := st.Relationships(ctx, c.acct.ID, []int64{x.noteOn}); err != nil || rels[0].Note != c.canaries["note"] {
		t.Errorf("%s's note: %v %+v", c.name, err, rels)
	}
	if edits, err := st.StatusEdits(ctx, x.edited); err != nil || len(edits) == 0 || !strings.Contains(edits[0].Text, c.canaries["post2"]) {
		t.Errorf("%s's edit history: %v %+v", c.name, err, edits)
	}
	if x.report != 0 {
		if r, err := st.Report(ctx, x.report); err != nil || r.Comment != c.canaries["report"] {
			t.Errorf("%s's report: %v", c.name, err)
		}
	}
	if x.dmRemote != 0 {
		if s, err := st.Status(ctx, x.dmRemote); err != nil || !strings.Contains(s.Text, c.canaries["dmremote"]) {
			t.Errorf("%s's direct message to another server: %v", c.name, err)
		}
	}
	if x.export != 0 {
		b, err := st.ExportArchive(ctx, c.acct.ID, x.export)
		if err != nil {
			t.Errorf("%s's export: %v", c.name, err)
		} else if outbox := zipFile(t, b, "outbox.json"); !bytes.Contains(outbox, []byte(c.canaries["post"])) {
			t.Errorf("%s's export holds no post", c.name)
		}
	}
}

// checkExtrasShredded finds c's other canary rows back in a's database
// and unreadable through its store: the post as ErrShredded; the note,
// the report's comment and the edit history, as the store shows shredded
// ones (an empty note, CommentShredded, skipped edits).
func checkExtrasShredded(t *testing.T, a *app.App, c *canaryUser, x *seizedExtras) {
	t.Helper()
	ctx := context.Background()
	st := a.Store()
	raw := rawDB{t, a}
	var notes, edits int
	raw.query("SELECT COUNT(*) FROM account_notes WHERE account_id = ?", []any{c.acct.ID}, &notes)
	raw.query("SELECT COUNT(*) FROM status_edits WHERE status_id = ?", []any{x.edited}, &edits)
	if notes != 1 || edits == 0 {
		t.Fatalf("%s's note and edits are not back: %d, %d rows", c.name, notes, edits)
	}
	if rels, err := st.Relationships(ctx, c.acct.ID, []int64{x.noteOn}); err != nil || rels[0].Note != "" {
		t.Errorf("%s's restored note: %v %+v, want empty", c.name, err, rels)
	}
	if got, err := st.StatusEdits(ctx, x.edited); err != nil || len(got) != 0 {
		t.Errorf("%s's restored edit history: %v %+v, want its rows skipped as shredded", c.name, err, got)
	}
	if _, err := st.Status(ctx, x.edited); !errors.Is(err, model.ErrShredded) {
		t.Errorf("%s's restored edited post: %v, want ErrShredded", c.name, err)
	}
	if r, err := st.Report(ctx, x.report); err != nil || !r.CommentShredded || r.Comment != "" {
		t.Errorf("%s's restored report: %v %+v, want its comment shredded", c.name, err, r)
	}
	if _, err := st.ExportArchive(ctx, c.acct.ID, x.export); !errors.Is(err, model.ErrShredded) {
		t.Errorf("%s's restored export: %v, want ErrShredded", c.name, err)
	}
}

// zipFile returns the file name in the zip archive b.
func zipFile(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// oldRows are rows moved three months back, which the sweep purges, or
// keeps and re-seals, and whose month keys it destroys.
type oldRows struct {
	at                                      time.Time
	carol, dave                             *canaryUser
	daveID                                  int64
	dm, report, autoDeleted, pinned, export int64
	cached, faved                           int64
}

// ageForRetirement writes the rows the key retirement is about and moves
// them (but carol's direct message and report, the caller's) three months
// back: carol's auto-delete (a week, keeping pinned posts) with a post it
// takes and a pinned one it keeps, her export, and dave's posts cached on
// A, one of which alice favourites.
func ageForRetirement(t *testing.T, a *server, cfg *config.Config, alice, carol, dave *canaryUser, daveOnA string) *oldRows {
	t.Helper()
	o := &oldRows{at: time.Now().AddDate(0, -3, 0), carol: carol, dave: dave, daveID: mustID(t, daveOnA)}
	carol.u.must(http.MethodPut, "/api/v1/statuses_cleanup", url.Values{"enabled": {"true"},
		"min_status_age_days": {"7"}, "keep_pinned": {"true"}}, nil)
	o.autoDeleted = mustID(t, carol.u.post(url.Values{"status": {carol.canary("autodeleted")}, "visibility": {"public"}}).ID)
	o.pinned = mustID(t, carol.u.post(url.Values{"status": {carol.canary("pinned")}, "visibility": {"public"}}).ID)
	carol.u.must(http.MethodPost, "/api/v1/statuses/"+model.FormatID(o.pinned)+"/pin", nil, nil)
	o.export = requestExport(carol)
	dave.u.post(url.Values{"status": {dave.canary("cached")}, "visibility": {"public"}})
	eventually(t, "dave's posts on A", func() bool {
		for _, st := range alice.u.home() {
			switch {
			case strings.Contains(st.Content, dave.canaries["cached"]):
				o.cached = mustID(t, st.ID)
			case strings.Contains(st.Content, dave.canaries["post"]):
				o.faved = mustID(t, st.ID)
			}
		}
		return o.cached != 0 && o.faved != 0
	})
	alice.u.must(http.MethodPost, "/api/v1/statuses/"+model.FormatID(o.faved)+"/favourite", nil, nil)
	ageRows(t, a, cfg, o.at,
		agedStatus(o.autoDeleted, carol.acct.ID, vault.ClassPosts), agedStatus(o.pinned, carol.acct.ID, vault.ClassPosts),
		agedRow{"exports", o.export, carol.acct.ID, vault.ClassExports, []string{"archive"}},
		agedStatus(o.cached, o.daveID, vault.ClassCache), agedStatus(o.faved, o.daveID, vault.ClassCache))
	return o
}

// backdate makes the old rows as old as their keys (the export expired),
// and returns the ciphertexts of those the sweep will delete, which no
// current file may hold after.
func (o *oldRows) backdate(t *testing.T, a *server) map[string]string {
	t.Helper()
	raw := rawDB{t, a.app}
	for _, id := range []int64{o.autoDeleted, o.pinned, o.cached, o.faved} {
		raw.exec("UPDATE statuses SET created_at = ? WHERE id = ?", o.at.UnixMicro(), id)
	}
	raw.exec("UPDATE exports SET expires_at = ? WHERE id = ?", o.at.Add(24*time.Hour).UnixMicro(), o.export)
	return map[string]string{
		"the auto-deleted post's ciphertext":  string(raw.bytes("SELECT text FROM statuses WHERE id = ?", o.autoDeleted)),
		"the purged cached post's ciphertext": string(raw.bytes("SELECT content FROM statuses WHERE id = ?", o.cached)),
		"the expired export's ciphertext":     string(raw.bytes("SELECT archive FROM exports WHERE id = ?", o.export)),
	}
}

// checkRetired checks the live server after the sweep: the old rows it
// keeps read as written (re-sealed), the others are gone, and the old
// month's keys of every class involved are destroyed.
func (o *oldRows) checkRetired(t *testing.T, a *server, cfg *config.Config) {
	t.Helper()
	ctx := context.Background()
	st := a.app.Store()
	if s, err := st.Status(ctx, o.pinned); err != nil || !strings.Contains(s.Text, o.carol.canaries["pinned"]) {
		t.Errorf("carol's pinned old post after the sweep: %v %+v, want it kept and readable", err, s)
	}
	if s, err := st.Status(ctx, o.faved); err != nil || !strings.Contains(s.Content, o.dave.canaries["post"]) {
		t.Errorf("dave's favourited old post after the sweep: %v %+v, want it kept and readable", err, s)
	}
	for name, id := range map[string]int64{"carol's auto-deleted post": o.autoDeleted, "dave's cached post": o.cached} {
		if _, err := st.Status(ctx, id); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s after the sweep: %v, want it purged", name, err)
		}
	}
	if _, err := st.ExportByID(ctx, o.export); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("carol's expired export after the sweep: %v, want it deleted", err)
	}
	month := o.at.UTC().Format("2006-01")
	for owner, classes := range map[int64][]string{
		o.carol.acct.ID: {vault.ClassDirect, vault.ClassReports, vault.ClassPosts, vault.ClassExports},
		o.daveID:        {vault.ClassCache},
	} {
		keys := classKeysOf(t, cfg, owner)
		for _, c := range classes {
			if keys[c+"/"+month] {
				t.Errorf("the %s/%s key of account %d outlived the sweep", c, month, owner)
			}
		}
	}
}

// checkShredded checks the old backup restored beside the current key
// store: every old row is back, and none opens, since its month key is
// gone. That includes the old copies of the kept rows, whose live copies
// were re-sealed under a current key.
func (o *oldRows) checkShredded(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	st := a.Store()
	for name, id := range map[string]int64{"carol's purged direct message": o.dm, "carol's auto-deleted post": o.autoDeleted,
		"carol's pinned post (old copy)": o.pinned, "dave's cached post": o.cached, "dave's favourited post (old copy)": o.faved} {
		if _, err := st.Status(ctx, id); !errors.Is(err, model.ErrShredded) {
			t.Errorf("%s from the old backup: %v, want ErrShredded", name, err)
		}
	}
	if r, err := st.Report(ctx, o.report); err != nil || !r.CommentShredded || r.Comment != "" {
		t.Errorf("carol's closed report from the old backup: %v %+v, want its comment shredded", err, r)
	}
	if _, err := st.ExportArchive(ctx, o.carol.acct.ID, o.export); !errors.Is(err, model.ErrShredded) {
		t.Errorf("carol's expired export from the old backup: %v, want ErrShredded", err)
	}
}
