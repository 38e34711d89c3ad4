package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/vault"
)

// clientCanary is a client's address and user agent, as a trusted proxy
// forwards them: the seized disk and the logs must hold neither.
type clientCanary struct {
	v4, v6, agent string
}

// newClientCanary draws addresses no other test uses: an IPv4 one in
// 198.18.0.0/15 (benchmarking) and an IPv6 one in 2001:db8::/32
// (documentation), written with no zero group so that its text is unique.
func newClientCanary() clientCanary {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	groups := make([]string, 6)
	for i := range groups {
		groups[i] = fmt.Sprintf("%x", 0x1000|uint16(b[2*i])<<8|uint16(b[2*i+1])) // four digits, no leading zero
	}
	return clientCanary{
		v4:    fmt.Sprintf("198.%d.%d.%d", 18+b[12]%2, b[13], 1+b[14]%254),
		v6:    "2001:db8:" + strings.Join(groups, ":"),
		agent: "SeizedDiskCanary/1.0 (ua-" + hex.EncodeToString(b[:6]) + ")",
	}
}

// secrets names each form the disk must not hold.
func (c clientCanary) secrets() map[string]string {
	return map[string]string{"client IPv4 address": c.v4, "client IPv6 address": c.v6, "client user agent": c.agent}
}

// canaryTransport sends every request as from the canary client, through
// a proxy: X-Forwarded-For alternates between its two addresses.
type canaryTransport struct {
	c clientCanary
	n atomic.Int64
}

func (ct *canaryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	addr := ct.c.v4
	if ct.n.Add(1)%2 == 0 {
		addr = ct.c.v6
	}
	r.Header.Set("X-Forwarded-For", addr)
	r.Header.Set("User-Agent", ct.c.agent)
	return http.DefaultTransport.RoundTrip(r)
}

// secretForms are the ways a secret can sit in a file: as text (any case),
// as hex, inside base64 (standard or URL alphabet, at any alignment), and
// as an unkeyed SHA-256 digest, raw or hex. An IPv6 address is also
// looked for as its 16 bytes.
func secretForms(secret string) map[string][]byte {
	s := []byte(secret)
	forms := map[string][]byte{"text": bytes.ToLower(s), "hex": []byte(hex.EncodeToString(s))}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{{"base64", base64.StdEncoding}, {"base64url", base64.URLEncoding}} {
		for shift := range 3 {
			e := enc.e.EncodeToString(append(bytes.Repeat([]byte{0}, shift), s...))
			// Drop the groups the prefix or the padding touches.
			if shift > 0 {
				e = e[4:]
			}
			e = e[:len(e)-4]
			forms[fmt.Sprintf("%s+%d", enc.name, shift)] = []byte(e)
		}
	}
	sum := sha256.Sum256(s)
	forms["sha256"] = sum[:]
	forms["sha256 hex"] = []byte(hex.EncodeToString(sum[:]))
	if ip := net.ParseIP(secret); ip != nil && ip.To4() == nil {
		forms["binary"] = ip.To16()
	}
	return forms
}

// findSecrets returns "name as form" for every secret found in b.
func findSecrets(b []byte, secrets map[string]string) []string {
	lower := bytes.ToLower(b)
	var found []string
	for name, sec := range secrets {
		for form, f := range secretForms(sec) {
			hay := b
			if form == "text" || strings.HasSuffix(form, "hex") {
				hay = lower
			}
			if bytes.Contains(hay, f) {
				found = append(found, name+" as "+form)
			}
		}
	}
	return found
}

// checkScanner fails t unless findSecrets sees a canary in each of its
// forms, so that a blind scan cannot pass.
func checkScanner(t *testing.T) {
	t.Helper()
	const c = "canaryselftest0123456789abcdef"
	embed := func(b []byte) []byte { return append(append([]byte("<x>"), b...), "</x>"...) }
	sum := sha256.Sum256([]byte(c))
	for i, b := range [][]byte{
		embed([]byte(strings.ToUpper(c))),
		embed([]byte(hex.EncodeToString([]byte(c)))),
		embed([]byte(base64.StdEncoding.EncodeToString([]byte("{\"t\":\"" + c + "\"}")))),
		embed([]byte(base64.URLEncoding.EncodeToString([]byte("ab" + c)))),
		embed(sum[:]),
		embed(net.ParseIP("2001:db8:1234:5678:9abc:def0:1234:5678").To16()),
	} {
		secrets := map[string]string{"c": c, "ip": "2001:db8:1234:5678:9abc:def0:1234:5678"}
		if len(findSecrets(b, secrets)) == 0 {
			t.Fatalf("the scanner misses form %d", i)
		}
	}
	if found := findSecrets([]byte("nothing to see"), map[string]string{"c": c}); len(found) != 0 {
		t.Fatalf("the scanner finds %v in nothing", found)
	}
}

// scanFile fails t for every secret in the file at path.
func scanFile(t *testing.T, path string, secrets map[string]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findSecrets(b, secrets) {
		t.Errorf("%s in %s", f, path)
	}
}

// scanTree scans every file under dir (the data directory: databases,
// their WAL and shared-memory files, keys, anything else) and returns the
// names of the files scanned.
func scanTree(t *testing.T, dir string, secrets map[string]string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		t.Helper()
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, d.Name())
		scanFile(t, path, secrets)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// scanLogs fails t for every secret in s's log.
func scanLogs(t *testing.T, name string, logs *syncBuffer, secrets map[string]string) {
	t.Helper()
	for _, f := range findSecrets([]byte(logs.String()), secrets) {
		t.Errorf("%s in %s's log", f, name)
	}
}

// rawDB runs raw SQL on a's database, written with ? placeholders: the
// test's hand on the clock (backdating rows) and on the bytes as stored.
type rawDB struct {
	t *testing.T
	a *app.App
}

func (r rawDB) query(q string, args []any, dest ...any) {
	r.t.Helper()
	var err error
	switch st := r.a.Store().(type) {
	case interface{ Pool() *pgxpool.Pool }:
		err = st.Pool().QueryRow(context.Background(), pgPlaceholders(q), args...).Scan(dest...)
	case interface{ DB() *sql.DB }:
		err = st.DB().QueryRow(q, args...).Scan(dest...)
	default:
		r.t.Fatalf("cannot reach the database of %T", st)
	}
	if err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
}

func (r rawDB) exec(q string, args ...any) {
	r.t.Helper()
	var err error
	switch st := r.a.Store().(type) {
	case interface{ Pool() *pgxpool.Pool }:
		_, err = st.Pool().Exec(context.Background(), pgPlaceholders(q), args...)
	case interface{ DB() *sql.DB }:
		_, err = st.DB().Exec(q, args...)
	default:
		r.t.Fatalf("cannot reach the database of %T", st)
	}
	if err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
}

// bytes returns one stored column as it is on disk.
func (r rawDB) bytes(q string, args ...any) []byte {
	r.t.Helper()
	var b []byte
	r.query(q, args, &b)
	if len(b) == 0 {
		r.t.Fatalf("%s: empty", q)
	}
	return b
}

func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// agedRow is a row whose sealed columns ageRows moves into an earlier
// month's key of their class.
type agedRow struct {
	table string
	id    int64
	owner int64
	class string
	cols  []string
}

var statusCols = []string{"text", "content", "spoiler_text", "entities"}

func agedStatus(id, owner int64, class string) agedRow {
	return agedRow{"statuses", id, owner, class, statusCols}
}

// ageRows re-seals the rows' values as if they had been written at at:
// under their owners' keys of their class for at's month, through a
// second vault over s's key store whose clock reads at. Key periods are
// real months and the servers read the real clock, so this is the test's
// hand on the calendar; the values and places stay what the server wrote.
func ageRows(t *testing.T, s *server, cfg *config.Config, at time.Time, rows ...agedRow) {
	t.Helper()
	ctx := context.Background()
	mk, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: cfg.MasterKeyFile})
	if err != nil {
		t.Fatal(err)
	}
	ks := openKeyStore(t, cfg)
	defer ks.Close()
	v, err := vault.New(ctx, mk, ks, vault.WithClock(func() time.Time { return at }), vault.WithCacheTTL(0))
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB{t, s.app}
	for _, r := range rows {
		for _, col := range r.cols {
			var ct []byte
			raw.query("SELECT "+col+" FROM "+r.table+" WHERE id = ?", []any{r.id}, &ct)
			if len(ct) == 0 {
				continue
			}
			place := vault.Place{Table: r.table, Column: col, Row: r.id, Class: r.class}
			pt, err := v.Open(ctx, r.owner, place, ct)
			if err != nil {
				t.Fatalf("age %s.%s %d: %v", r.table, col, r.id, err)
			}
			old, err := v.Seal(ctx, r.owner, place, pt)
			if err != nil {
				t.Fatal(err)
			}
			raw.exec("UPDATE "+r.table+" SET "+col+" = ? WHERE id = ?", old, r.id)
		}
	}
}

// classKeysOf returns the periods of owner's keys in cfg's key store.
func classKeysOf(t *testing.T, cfg *config.Config, owner int64) map[string]bool {
	t.Helper()
	ks := openKeyStore(t, cfg)
	defer ks.Close()
	keys, err := ks.OwnerKeys(context.Background(), owner)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, k := range keys {
		out[k.Period] = true
	}
	return out
}
