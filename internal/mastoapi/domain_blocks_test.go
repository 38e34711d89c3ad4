package mastoapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/testutil/openapi"
)

const adminDomainBlocksPath = "/api/v1/admin/domain_blocks"

// withAdminDomainBlocks wraps the schema's checker: the community Mastodon
// schema has the Admin::DomainBlock entity but not the
// /api/v1/admin/domain_blocks operations, whose answers are checked
// against the entity (a list of them, {} for a DELETE).
func withAdminDomainBlocks(t testing.TB, v *openapi.Validator) responseChecker {
	t.Helper()
	es := entities(t, v.Path(), "AdminDomainBlock", "Error")
	block := es[0]
	return entityChecker{next: v, errEntity: es[1],
		handles: func(_, path string) bool { return strings.HasPrefix(path, adminDomainBlocksPath) },
		schemaFor: func(t testing.TB, method, path string, status int, v any, body []byte) *openapi3.Schema {
			switch {
			case method == "DELETE":
				emptyObject(t, method, path, status, v, body)
				return nil
			case method == "GET" && path == adminDomainBlocksPath:
				return openapi3.NewArraySchema().WithItems(block)
			}
			return block
		}}
}

var domainBlockSeq atomic.Int64

// promoteAlice makes the route tests' caller an admin, so that the admin
// API's routes answer her.
func (w *routeWorld) promoteAlice(t *testing.T) {
	t.Helper()
	if err := w.svc.SetRole(context.Background(), "alice", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
}

// freshDomainBlock creates an instance domain block for a route test.
func (w *routeWorld) freshDomainBlock(t *testing.T) string {
	t.Helper()
	b, err := w.svc.AddDomainBlock(context.Background(), store.DomainBlock{
		Domain: fmt.Sprintf("route%d.example", domainBlockSeq.Add(1)), Severity: store.SeveritySilence}, false)
	if err != nil {
		t.Fatal(err)
	}
	return model.FormatID(b.ID)
}

// newStoreEnv is newTestEnv that also hands back its store, to create
// remote accounts, which no API endpoint makes.
func newStoreEnv(t *testing.T) (*testEnv, store.Store) {
	t.Helper()
	var st store.Store
	e := newTestEnvLogged(t, testSettings(), slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(s store.Store) store.Store { st = s; return s })
	return e, st
}

func TestUserDomainBlocksAPI(t *testing.T) {
	e, st := newStoreEnv(t)
	ctx := context.Background()
	alice, tok := e.user(t, "alice", "read write")
	_, followTok := e.user(t, "bob", "follow")
	far := &model.Account{Username: "far", Domain: "spam.example", URI: "https://spam.example/users/far"}
	if err := st.CreateRemoteAccount(ctx, far); err != nil {
		t.Fatal(err)
	}

	for _, d := range []string{"Spam.Example.", "a.example", "b.example"} {
		code, _, body := e.do(t, "POST", "/api/v1/domain_blocks", tok, url.Values{"domain": {d}})
		wantStatus(t, code, 200, body)
		if string(body) != "{}\n" {
			t.Errorf("POST domain_blocks body %q, want {}", body)
		}
	}
	code, h, body := e.do(t, "GET", "/api/v1/domain_blocks?limit=2", tok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]string](t, body); strings.Join(got, " ") != "b.example a.example" {
		t.Errorf("first page = %v", got)
	}
	nextURL, err := url.Parse(linkURL(t, h.Get("Link"), "next"))
	if err != nil {
		t.Fatal(err)
	}
	next := nextURL.RequestURI()
	code, _, body = e.do(t, "GET", next, tok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]string](t, body); strings.Join(got, " ") != "spam.example" {
		t.Errorf("next page (%s) = %v", next, got)
	}

	rels, err := e.svc.Relationships(ctx, &core.Auth{Account: alice}, []int64{far.ID}, false)
	if err != nil || len(rels) != 1 || !rels[0].DomainBlocking {
		t.Errorf("relationship: %+v %v", rels, err)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/relationships?id[]="+model.FormatID(far.ID), tok, nil)
	wantStatus(t, code, 200, body)
	if r := decode[[]map[string]any](t, body); len(r) != 1 || r[0]["domain_blocking"] != true {
		t.Errorf("relationships: %s", body)
	}

	for name, tc := range map[string]struct {
		method string
		body   any
		want   int
	}{
		"missing domain":  {"POST", url.Values{}, 422},
		"own domain":      {"POST", url.Values{"domain": {"roost.test"}}, 422},
		"a URL":           {"POST", url.Values{"domain": {"https://x.example/"}}, 422},
		"delete, no name": {"DELETE", url.Values{}, 422},
	} {
		code, _, body := e.do(t, tc.method, "/api/v1/domain_blocks", tok, tc.body)
		if code != tc.want {
			t.Errorf("%s: status %d, want %d: %s", name, code, tc.want, body)
		}
	}

	// DELETE takes the domain in the query or the body; "follow" grants the scopes.
	code, _, body = e.do(t, "DELETE", "/api/v1/domain_blocks?domain=SPAM.example", tok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "DELETE", "/api/v1/domain_blocks", tok, map[string]string{"domain": "a.example"})
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/domain_blocks", tok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]string](t, body); strings.Join(got, " ") != "b.example" {
		t.Errorf("after deletes = %v", got)
	}
	code, _, body = e.do(t, "GET", "/api/v1/domain_blocks", followTok, nil)
	wantStatus(t, code, 200, body)
}

func TestAdminDomainBlocksAPI(t *testing.T) {
	e, st := newStoreEnv(t)
	ctx := context.Background()
	const scopes = "admin:read admin:write"
	e.user(t, "root", "read")
	_, userTok := e.user(t, "plain", scopes)
	_, modTok := e.user(t, "mod", scopes)
	if err := e.svc.SetRole(ctx, "root", model.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRole(ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	tok := e.token(t, "root", scopes)
	remote := &model.Account{Username: "x", Domain: "sub.evil.example", URI: "https://sub.evil.example/x"}
	if err := st.CreateRemoteAccount(ctx, remote); err != nil {
		t.Fatal(err)
	}

	for _, who := range []string{userTok, modTok} {
		code, _, body := e.do(t, "GET", adminDomainBlocksPath, who, nil)
		wantStatus(t, code, 403, body)
		code, _, body = e.do(t, "POST", adminDomainBlocksPath, who, url.Values{"domain": {"evil.example"}})
		wantStatus(t, code, 403, body)
	}

	code, _, body := e.do(t, "POST", adminDomainBlocksPath, tok, url.Values{
		"domain": {"Evil.Example"}, "severity": {"suspend"}, "reject_media": {"true"},
		"private_comment": {"ticket 9"}, "public_comment": {"Harassment"}})
	wantStatus(t, code, 200, body)
	b := decode[AdminDomainBlock](t, body)
	if b.Domain != "evil.example" || b.Severity != "suspend" || !b.RejectMedia || b.RejectReports ||
		b.PrivateComment == nil || *b.PrivateComment != "ticket 9" || len(b.Digest) != 64 {
		t.Errorf("created %+v", b)
	}
	if p, _ := e.svc.DomainPolicy(ctx, "a.evil.example"); !p.Suspended() {
		t.Errorf("policy after POST: %+v", p)
	}
	if a, _ := st.Account(ctx, remote.ID); a.SuspendedAt == nil {
		t.Error("the domain's account is not suspended")
	}

	code, _, body = e.do(t, "POST", adminDomainBlocksPath, tok, url.Values{"domain": {"evil.example"}})
	wantStatus(t, code, 422, body)
	if ex := decode[map[string]json.RawMessage](t, body)["existing_domain_block"]; !strings.Contains(string(ex), b.ID) {
		t.Errorf("conflict does not carry the existing block: %s", body)
	}
	for _, bad := range []url.Values{{}, {"domain": {"x.example"}, "severity": {"obliterate"}}, {"domain": {"roost.test"}}} {
		code, _, body = e.do(t, "POST", adminDomainBlocksPath, tok, bad)
		wantStatus(t, code, 422, body)
	}
	code, _, body = e.do(t, "POST", adminDomainBlocksPath, tok, map[string]any{"domain": "quiet.example"})
	wantStatus(t, code, 200, body)
	quiet := decode[AdminDomainBlock](t, body)
	if quiet.Severity != "silence" || quiet.PublicComment != nil {
		t.Errorf("default block %+v", quiet)
	}

	code, h, body := e.do(t, "GET", adminDomainBlocksPath+"?limit=1", tok, nil)
	wantStatus(t, code, 200, body)
	if l := decode[[]AdminDomainBlock](t, body); len(l) != 1 || l[0].ID != quiet.ID || !strings.Contains(h.Get("Link"), "max_id="+quiet.ID) {
		t.Errorf("list: %s (Link %s)", body, h.Get("Link"))
	}
	code, _, body = e.do(t, "GET", adminDomainBlocksPath+"/"+b.ID, tok, nil)
	wantStatus(t, code, 200, body)

	code, _, body = e.do(t, "PUT", adminDomainBlocksPath+"/"+b.ID, tok, url.Values{"severity": {"noop"}, "reject_reports": {"true"}})
	wantStatus(t, code, 200, body)
	up := decode[AdminDomainBlock](t, body)
	if up.Severity != "noop" || !up.RejectMedia || !up.RejectReports || up.PrivateComment == nil || up.Domain != "evil.example" {
		t.Errorf("updated %+v", up)
	}
	if a, _ := st.Account(ctx, remote.ID); a.SuspendedAt != nil {
		t.Error("lifting the suspension left the account suspended")
	}

	code, _, body = e.do(t, "DELETE", adminDomainBlocksPath+"/"+b.ID, tok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", adminDomainBlocksPath+"/"+b.ID, tok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "DELETE", adminDomainBlocksPath+"/"+b.ID, tok, nil)
	wantStatus(t, code, 404, body)
	if p, _ := e.svc.DomainPolicy(ctx, "a.evil.example"); p.Severity != "" {
		t.Errorf("policy after DELETE: %+v", p)
	}
}
