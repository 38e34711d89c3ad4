package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func TestNormalizeDomain(t *testing.T) {
	good := map[string]string{
		"example.org":           "example.org",
		" Example.ORG. ":        "example.org",
		"a.b.Example.org":       "a.b.example.org",
		"bücher.example":        "xn--bcher-kva.example",
		"xn--bcher-kva.example": "xn--bcher-kva.example",
		"localhost":             "localhost",
	}
	for in, want := range good {
		got, err := NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", " ", ".", "https://example.org", "example.org/path", "user@example.org",
		"example.org:443", "*.example.org", "exa mple.org", "1.2.3.4", "[::1]", "a..b", strings.Repeat("a.", 200) + "org",
		"under_score.example"} {
		if got, err := NormalizeDomain(in); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want ErrInvalid", in, got, err)
		}
	}
}

// remoteAccount creates a remote account on domain.
func remoteAccount(t *testing.T, s *Service, name, domain string) *model.Account {
	t.Helper()
	a := &model.Account{Username: name, Domain: domain, URI: "https://" + domain + "/users/" + name}
	if err := s.store.CreateRemoteAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func wantPolicy(t *testing.T, s *Service, domain string, want DomainPolicy) {
	t.Helper()
	got, err := s.DomainPolicy(context.Background(), domain)
	if err != nil {
		t.Fatalf("DomainPolicy(%q): %v", domain, err)
	}
	if got != want {
		t.Errorf("DomainPolicy(%q) = %+v, want %+v", domain, got, want)
	}
}

func TestDomainPolicy(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "Example.ORG.", Severity: store.SeveritySuspend}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "media.example.org", Severity: store.SeverityNoop, RejectMedia: true}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "bücher.example", Severity: store.SeveritySilence, RejectReports: true}, false); err != nil {
		t.Fatal(err)
	}
	suspended := DomainPolicy{Domain: "example.org", Severity: store.SeveritySuspend}
	media := DomainPolicy{Domain: "media.example.org", Severity: store.SeverityNoop, RejectMedia: true}
	books := DomainPolicy{Domain: "xn--bcher-kva.example", Severity: store.SeveritySilence, RejectReports: true}
	wantPolicy(t, s, "example.org", suspended)
	wantPolicy(t, s, "a.b.EXAMPLE.org", suspended)
	wantPolicy(t, s, "example.org:8443", suspended)
	wantPolicy(t, s, "x.media.example.org", media) // the nearest block wins
	wantPolicy(t, s, "BÜCHER.example", books)
	wantPolicy(t, s, "shop.xn--bcher-kva.example", books)
	wantPolicy(t, s, "notexample.org", DomainPolicy{})
	wantPolicy(t, s, "example.org.evil", DomainPolicy{})
	wantPolicy(t, s, "org", DomainPolicy{})
	wantPolicy(t, s, "not a domain", DomainPolicy{})
	if p, _ := s.DomainPolicy(ctx, "a.example.org"); !p.Suspended() || p.Silenced() {
		t.Errorf("Suspended/Silenced of %+v", p)
	}

	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "example.org", Severity: store.SeveritySilence}, false); !errors.Is(err, model.ErrConflict) {
		t.Errorf("adding a block twice: %v, want ErrConflict", err)
	}
	for _, b := range []store.DomainBlock{
		{Domain: "roost.test", Severity: store.SeveritySuspend},
		{Domain: "x.example", Severity: "obliterate"},
		{Domain: "http://x.example/", Severity: store.SeveritySuspend},
		{Domain: "x.example", PublicComment: strings.Repeat("é", MaxDomainCommentLen+1)},
	} {
		if _, err := s.AddDomainBlock(ctx, b, true); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("AddDomainBlock(%+v): %v, want ErrInvalid", b.Domain, err)
		}
	}
	b, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "x.example"}, false)
	if err != nil || b.Severity != store.SeveritySilence {
		t.Errorf("a block without severity: %+v, %v; want silence", b, err)
	}
}

// TestDomainPolicyCache: a change on this node is seen at once; a change
// made by another node (another Service over the same database) within
// DomainPolicyTTL.
func TestDomainPolicyCache(t *testing.T) {
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	other := New(Options{Store: s.store, Vault: s.vault, Settings: testSettings(), Now: clock.Now})
	ctx := context.Background()
	counting := &policyLoadCounter{Store: s.store}
	s.store = counting

	wantPolicy(t, s, "spam.example", DomainPolicy{})
	for range 100 {
		wantPolicy(t, s, "a.spam.example", DomainPolicy{})
	}
	if counting.loads != 1 {
		t.Errorf("101 checks loaded the blocks %d times, want once", counting.loads)
	}
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "spam.example", Severity: store.SeveritySuspend}, false); err != nil {
		t.Fatal(err)
	}
	wantPolicy(t, s, "a.spam.example", DomainPolicy{Domain: "spam.example", Severity: store.SeveritySuspend})

	wantPolicy(t, other, "ads.example", DomainPolicy{}) // other node loads now
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "ads.example", Severity: store.SeveritySilence}, false); err != nil {
		t.Fatal(err)
	}
	clock.Advance(DomainPolicyTTL / 2)
	wantPolicy(t, other, "ads.example", DomainPolicy{}) // still its cached copy
	clock.Advance(DomainPolicyTTL / 2)
	wantPolicy(t, other, "ads.example", DomainPolicy{Domain: "ads.example", Severity: store.SeveritySilence})

	if err := s.RemoveDomainBlock(ctx, "SPAM.example."); err != nil {
		t.Fatal(err)
	}
	wantPolicy(t, s, "a.spam.example", DomainPolicy{})
	if err := s.RemoveDomainBlock(ctx, "spam.example"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("removing a block twice: %v, want ErrNotFound", err)
	}
}

// policyLoadCounter counts the policy loads.
type policyLoadCounter struct {
	store.Store
	loads int
}

func (c *policyLoadCounter) AllDomainBlocks(ctx context.Context, withComments bool) ([]*store.DomainBlock, error) {
	c.loads++
	return c.Store.AllDomainBlocks(ctx, withComments)
}

// TestDomainSuspension: suspending a domain suspends its known accounts
// (subdomains included); lifting it unsuspends those it suspended, not
// those suspended for their own reasons.
func TestDomainSuspension(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	a, sub := remoteAccount(t, s, "a", "evil.example"), remoteAccount(t, s, "sub", "x.evil.example")
	other := remoteAccount(t, s, "o", "fine.example")
	earlier := time.Now().Add(-time.Hour).UTC()
	pre := remoteAccount(t, s, "pre", "evil.example")
	if err := s.store.SetAccountSuspended(ctx, pre.ID, &earlier); err != nil {
		t.Fatal(err)
	}
	suspended := func(acct *model.Account) bool {
		t.Helper()
		got, err := s.store.Account(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.SuspendedAt != nil
	}
	check := func(when string, want map[*model.Account]bool) {
		t.Helper()
		for acct, w := range want {
			if got := suspended(acct); got != w {
				t.Errorf("%s: %s@%s suspended = %v, want %v", when, acct.Username, acct.Domain, got, w)
			}
		}
	}
	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "evil.example", Severity: store.SeveritySuspend}, false); err != nil {
		t.Fatal(err)
	}
	check("after suspend", map[*model.Account]bool{a: true, sub: true, other: false, pre: true})

	if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "evil.example", Severity: store.SeveritySilence}, true); err != nil {
		t.Fatal(err)
	}
	check("after downgrade to silence", map[*model.Account]bool{a: false, sub: false, other: false, pre: true})

	b, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "evil.example", Severity: store.SeveritySuspend}, true)
	if err != nil {
		t.Fatal(err)
	}
	check("after suspending again", map[*model.Account]bool{a: true, sub: true, pre: true})
	if err := s.RemoveDomainBlockByID(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	check("after removal", map[*model.Account]bool{a: false, sub: false, other: false, pre: true})
}

func TestUserDomainBlocks(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	me := mustCreateUser(t, s, "me")
	far := remoteAccount(t, s, "far", "far.example")
	auth := &Auth{Account: me}
	if err := s.BlockDomain(ctx, auth, " Sub.FAR.example. "); err != nil {
		t.Fatal(err)
	}
	if err := s.BlockDomain(ctx, auth, "far.example"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "roost.test", "https://far.example"} {
		if err := s.BlockDomain(ctx, auth, bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("BlockDomain(%q): %v, want ErrInvalid", bad, err)
		}
	}
	l, err := s.BlockedDomains(ctx, auth, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Items, " "); got != "far.example sub.far.example" || l.Newest == 0 || l.Oldest == 0 {
		t.Errorf("BlockedDomains = %q (%d..%d)", got, l.Newest, l.Oldest)
	}
	rels, err := s.Relationships(ctx, auth, []int64{far.ID}, false)
	if err != nil || len(rels) != 1 || !rels[0].DomainBlocking {
		t.Errorf("relationship to far: %+v, %v; want domain_blocking", rels, err)
	}
	if err := s.UnblockDomain(ctx, auth, "FAR.example"); err != nil {
		t.Fatal(err)
	}
	rels, _ = s.Relationships(ctx, auth, []int64{far.ID}, false)
	if len(rels) != 1 || rels[0].DomainBlocking {
		t.Errorf("relationship after unblock: %+v", rels)
	}
}

func TestCheckAdmin(t *testing.T) {
	for role, ok := range map[model.Role]bool{model.RoleOwner: true, model.RoleAdmin: true, model.RoleModerator: false, model.RoleUser: false} {
		err := CheckAdmin(&Auth{User: &model.User{Role: role}})
		if (err == nil) != ok {
			t.Errorf("CheckAdmin(%s) = %v", role, err)
		}
	}
	if err := CheckAdmin(&Auth{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("CheckAdmin of an app token = %v", err)
	}
}

const fullCSV = `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
bad.example,suspend,false,false,"Spam, and lots of it",false
meh.example,silence,true,true,,true
pics.example,noop,true,false,Large files,false
`

func TestDomainBlockCSVRoundTrip(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	sum, err := s.ImportDomainBlocks(ctx, strings.NewReader(fullCSV))
	if err != nil || sum != (ImportSummary{Added: 3}) {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	var out bytes.Buffer
	if err := s.ExportDomainBlocks(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != fullCSV {
		t.Errorf("export differs from what was imported:\n%s\nwant:\n%s", out.String(), fullCSV)
	}
	// Idempotent: the same file again changes nothing.
	sum, err = s.ImportDomainBlocks(ctx, strings.NewReader(out.String()))
	if err != nil || sum != (ImportSummary{Unchanged: 3}) {
		t.Errorf("re-import: %+v, %v", sum, err)
	}
	// A changed entry updates the block in place and keeps its private comment.
	b, err := s.store.DomainBlockByDomain(ctx, "meh.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateDomainBlock(ctx, b.ID, func(b *store.DomainBlock) { b.PrivateComment = "ticket 7" }); err != nil {
		t.Fatal(err)
	}
	sum, err = s.ImportDomainBlocks(ctx, strings.NewReader(strings.Replace(fullCSV, "meh.example,silence", "meh.example,suspend", 1)))
	if err != nil || sum != (ImportSummary{Updated: 1, Unchanged: 2}) {
		t.Errorf("import with a change: %+v, %v", sum, err)
	}
	got, err := s.store.DomainBlock(ctx, b.ID)
	if err != nil || got.Severity != store.SeveritySuspend || got.PrivateComment != "ticket 7" {
		t.Errorf("updated block: %+v, %v", got, err)
	}
	wantPolicy(t, s, "x.meh.example", DomainPolicy{Domain: "meh.example", Severity: store.SeveritySuspend, RejectMedia: true, RejectReports: true})
}

func TestDomainBlockCSVTolerated(t *testing.T) {
	for name, tc := range map[string]struct {
		csv  string
		want []store.DomainBlock
	}{
		"older export without #": {"domain,severity,reject_media,reject_reports,public_comment,obfuscate\nOld.Example.,silence,TRUE,false,x,false\n",
			[]store.DomainBlock{{Domain: "old.example", Severity: store.SeveritySilence, RejectMedia: true, PublicComment: "x"}}},
		"domain only": {"#domain\na.example\nb.example\n",
			[]store.DomainBlock{{Domain: "a.example", Severity: store.SeveritySuspend}, {Domain: "b.example", Severity: store.SeveritySuspend}}},
		"reordered, extra column, CRLF, BOM": {"\ufeff#severity,#domain,#private_comment\r\nnoop,c.example,secret\r\n",
			[]store.DomainBlock{{Domain: "c.example", Severity: store.SeverityNoop}}},
		"empty flags": {"#domain,#severity,#reject_media\nd.example,suspend,\n",
			[]store.DomainBlock{{Domain: "d.example", Severity: store.SeveritySuspend}}},
	} {
		rows, err := parseDomainBlockCSV(strings.NewReader(tc.csv))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got []store.DomainBlock
		for _, r := range rows {
			got = append(got, r.block)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %+v, want %+v", name, got, tc.want)
		}
	}
}

func TestDomainBlockCSVRejected(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	header := strings.Join(DomainBlockCSVHeader, ",") + "\n"
	many := new(strings.Builder)
	many.WriteString("#domain\n")
	for i := range MaxDomainBlockCSVRows + 1 {
		fmt.Fprintf(many, "d%d.example\n", i)
	}
	for name, tc := range map[string]struct{ csv, want string }{
		"unknown severity":   {header + "a.example,suspend,false,false,,false\nb.example,obliterate,false,false,,false\n", `line 3: unknown severity "obliterate"`},
		"bad flag":           {header + "a.example,suspend,maybe,false,,false\n", `line 2: reject_media "maybe"`},
		"bad domain":         {header + "a.example,suspend,false,false,,false\nhttps://b.example/,suspend,false,false,,false\n", `line 3: domain "https://b.example/"`},
		"own domain":         {header + "roost.test,suspend,false,false,,false\n", "line 2: this server's own domain"},
		"duplicate":          {header + "a.example,suspend,false,false,,false\nA.example.,noop,false,false,,false\n", "line 3: a.example is listed already on line 2"},
		"truncated row":      {header + "a.example,suspend,false,false,,false\nb.example,susp", "line 3: 2 fields"},
		"truncated in quote": {header + "a.example,suspend,false,false,\"Spam and\n", "line 2"},
		"no header":          {"a.example,suspend\n", "line 1: expected a header"},
		"empty":              {"", "line 1: the file is empty"},
		"too many rows":      {many.String(), fmt.Sprintf("line %d: more than %d domains", MaxDomainBlockCSVRows+2, MaxDomainBlockCSVRows)},
		"oversized":          {header + strings.Repeat("x", MaxDomainBlockCSVBytes), "larger than 4 MiB"},
	} {
		_, err := s.ImportDomainBlocks(ctx, strings.NewReader(tc.csv))
		var ve *model.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Msg, tc.want) {
			t.Errorf("%s: error %v, want a validation error containing %q", name, err, tc.want)
		}
	}
	// All or nothing: none of the good lines above were written.
	list, err := s.AllDomainBlocks(ctx)
	if err != nil || len(list) != 0 {
		t.Errorf("failed imports wrote %d blocks (%v)", len(list), err)
	}
}

// TestDomainPolicyConcurrent checks the cache under the race detector:
// checks on many goroutines while blocks change.
func TestDomainPolicyConcurrent(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	done := make(chan struct{})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := s.DomainPolicy(ctx, "a.busy.example"); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		sev := store.SeveritySilence
		if i%2 == 0 {
			sev = store.SeveritySuspend
		}
		if _, err := s.AddDomainBlock(ctx, store.DomainBlock{Domain: "busy.example", Severity: sev}, true); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	wantPolicy(t, s, "a.busy.example", DomainPolicy{Domain: "busy.example", Severity: store.SeveritySilence})
}

// FuzzDomainBlockCSV: any input is parsed without panicking, and what is
// accepted holds normalised, valid entries.
func FuzzDomainBlockCSV(f *testing.F) {
	f.Add(fullCSV)
	f.Add("domain,severity\nA.example,noop\n")
	f.Add("#domain\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := parseDomainBlockCSV(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, r := range rows {
			if d, err := NormalizeDomain(r.block.Domain); err != nil || d != r.block.Domain || !r.block.Severity.Valid() {
				t.Fatalf("accepted %+v (%v)", r.block, err)
			}
		}
	})
}
