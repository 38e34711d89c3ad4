package mastoapi

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// TestPrivacyFactsFollowSettings reads the facts from the page, Mastodon's
// privacy policy and both instance documents under two sets of settings,
// and sees every output change with them.
func TestPrivacyFactsFollowSettings(t *testing.T) {
	type outputs struct{ page, policy, v1, v2 string }
	read := func(t *testing.T, e *testEnv) outputs {
		t.Helper()
		var o outputs
		code, h, body := e.do(t, "GET", "/about/privacy", "", nil)
		wantStatus(t, code, 200, body)
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("page headers: %v", h)
		}
		o.page = string(body)
		code, _, body = e.do(t, "GET", "/api/v1/instance/privacy_policy", "", nil)
		wantStatus(t, code, 200, body)
		pp := decode[map[string]string](t, body)
		if pp["updated_at"] == "" || !strings.Contains(pp["content"], "<h2") {
			t.Errorf("privacy_policy = %s", body)
		}
		o.policy = pp["content"]
		for _, p := range []struct {
			path string
			dst  *string
		}{{"/api/v1/instance", &o.v1}, {"/api/v2/instance", &o.v2}} {
			code, _, body = e.do(t, "GET", p.path, "", nil)
			wantStatus(t, code, 200, body)
			doc := decode[map[string]any](t, body)
			facts, ok := doc["roost_privacy"].(map[string]any)
			if !ok {
				t.Fatalf("%s has no roost_privacy: %s", p.path, body)
			}
			j, err := json.Marshal(facts)
			if err != nil {
				t.Fatal(err)
			}
			*p.dst = string(j)
		}
		return o
	}

	e := newTestEnv(t)
	before := read(t, e)
	for name, out := range map[string]string{"page": before.page, "policy": before.policy} {
		for _, want := range []string{"does not log IP addresses", "administrators of the sender&#39;s server", "Anyone may sign up", "not declared"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	for name, out := range map[string]string{"v1": before.v1, "v2": before.v2} {
		for _, want := range []string{`"ip_addresses_logged":false`, `"end_to_end_encrypted":false`, `"mode":"open"`, `"jurisdiction":""`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %s: %s", name, want, out)
			}
		}
	}

	set := testSettings()
	set.Registration, set.EmailRequired = model.RegistrationApproval, true
	set.Privacy.Jurisdiction, set.Privacy.HostingProvider = "Iceland", "1984 ehf."
	set.Privacy.LegalPolicyURL = "https://roost.test/legal"
	set.Privacy.PurgeScheduled = true
	set.Retention = retention.Policy{retention.Notifications: 45 * retention.Day}
	after := read(t, newTestEnvWith(t, set))
	for name, out := range map[string]string{"page": after.page, "policy": after.policy} {
		for _, want := range []string{"an administrator approves each one", "An email address is required", "Iceland", "1984 ehf.",
			`href="https://roost.test/legal"`, "45 days"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s after the change lacks %q", name, want)
			}
		}
	}
	for name, out := range map[string]string{"v1": after.v1, "v2": after.v2} {
		for _, want := range []string{`"mode":"approval"`, `"email_required":true`, `"jurisdiction":"Iceland"`,
			`"hosting_provider":"1984 ehf."`, `"legal_policy_url":"https://roost.test/legal"`, `"max_age_days":45`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s after the change lacks %s: %s", name, want, out)
			}
		}
	}
	if before == after {
		t.Error("the facts did not change with the settings")
	}
}

// TestSignInPageLinksPrivacyFacts: the page an app sends a new user to
// links the facts.
func TestSignInPageLinksPrivacyFacts(t *testing.T) {
	e := newTestEnv(t)
	app, _, err := e.svc.CreateApp(context.Background(), core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: "read"})
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{e: e}
	code, _, body := b.open(t, url.Values{"response_type": {"code"}, "client_id": {app.ClientID},
		"redirect_uri": {core.OOBRedirect}, "scope": {"read"}})
	if code != 200 || !strings.Contains(body, `href="/about/privacy"`) {
		t.Errorf("sign-in page does not link the privacy facts:\n%s", body)
	}
}
