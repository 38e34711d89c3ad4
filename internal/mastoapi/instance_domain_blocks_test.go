package mastoapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/roost-social/roost/internal/store"
)

func TestObfuscateDomain(t *testing.T) {
	for in, want := range map[string]string{
		"dajiyuan00.com":   "daji******.com", // the example in Mastodon's documentation
		"example.org":      "exa****.*rg",
		"a.b":              "a.*",
		"spam.example.org": "spam.*******.org",
		"":                 "",
	} {
		if got := obfuscateDomain(in); got != want {
			t.Errorf("obfuscateDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInstanceDomainBlocksAPI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	_, tok := e.user(t, "alice", "read")
	_, writeOnly := e.user(t, "bob", "write:statuses")
	for _, b := range []store.DomainBlock{
		{Domain: "zzz.example", Severity: store.SeveritySuspend, PublicComment: "spam", PrivateComment: "secret"},
		{Domain: "hidden.example", Severity: store.SeveritySuspend, Obfuscate: true},
		{Domain: "loud.example", Severity: store.SeveritySilence},
		{Domain: "media.example", Severity: store.SeverityNoop, RejectMedia: true},
	} {
		if _, err := e.svc.AddDomainBlock(ctx, b, false); err != nil {
			t.Fatal(err)
		}
	}
	const path = "/api/v1/instance/domain_blocks"
	code, _, body := e.do(t, "GET", path, "", nil)
	wantStatus(t, code, 401, body)
	code, _, body = e.do(t, "GET", path, e.appToken(t, "read"), nil)
	wantStatus(t, code, 422, body)

	for _, token := range []string{tok, writeOnly} { // no scope is needed, as in Mastodon
		code, _, body = e.do(t, "GET", path, token, nil)
		wantStatus(t, code, 200, body)
		got := decode[[]map[string]any](t, body)
		digest := func(d string) string { s := sha256.Sum256([]byte(d)); return hex.EncodeToString(s[:]) }
		want := []map[string]any{
			{"domain": "loud.example", "digest": digest("loud.example"), "severity": "silence", "comment": nil},
			{"domain": "hidd**.****ple", "digest": digest("hidden.example"), "severity": "suspend", "comment": nil},
			{"domain": "zzz.example", "digest": digest("zzz.example"), "severity": "suspend", "comment": "spam"},
		}
		if len(got) != len(want) {
			t.Fatalf("blocks %s, want %d", body, len(want))
		}
		for i := range want {
			for k, v := range want[i] {
				if got[i][k] != v {
					t.Errorf("block %d %s = %v, want %v", i, k, got[i][k], v)
				}
			}
			if len(got[i]) != len(want[i]) {
				t.Errorf("block %d has fields %v", i, got[i])
			}
		}
	}
}
