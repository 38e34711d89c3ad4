package mastoapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

const adminSettingsPath = "/api/v1/roost/admin/settings"

// closedSettings are settings the configuration accepts: a public domain
// with registrations closed and nothing declared.
func closedSettings() core.Settings {
	set := testSettings()
	set.Registration = model.RegistrationClosed
	set.Retention = retention.Policy{retention.Notifications: 90 * retention.Day}
	set.Privacy.PurgeScheduled = true
	return set
}

// TestAdminSettings changes the jurisdiction, hosting provider and a
// retention value through the API and sees the privacy page, Mastodon's
// privacy policy, the instance document and the admin retention listing
// follow; then resets them.
func TestAdminSettings(t *testing.T) {
	e := newTestEnvWith(t, closedSettings())
	ctx := context.Background()
	_, tok := e.user(t, "boss", "admin:read admin:write")
	if err := e.svc.SetRole(ctx, "boss", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}

	code, _, body := e.do(t, "GET", adminSettingsPath, tok, nil)
	wantStatus(t, code, 200, body)
	got := decode[map[string]AdminSetting](t, body)
	if g := got["instance.jurisdiction"]; g.Value != "" || g.Source != "config" {
		t.Errorf("jurisdiction before = %+v", g)
	}
	if g := got["retention.notifications_days"]; g.Value != float64(90) || g.Source != "config" {
		t.Errorf("notifications before = %+v", g)
	}

	code, _, body = e.do(t, "PATCH", adminSettingsPath, tok, map[string]any{
		"instance.jurisdiction": "Iceland", "instance.hosting_provider": "1984 ehf.",
		"instance.registration": "approval", "retention.notifications_days": 14,
	})
	wantStatus(t, code, 200, body)
	got = decode[map[string]AdminSetting](t, body)
	if g := got["instance.jurisdiction"]; g.Value != "Iceland" || g.Source != "override" {
		t.Errorf("jurisdiction after = %+v", g)
	}
	if g := got["instance.title"]; g.Value != "Roost test" || g.Source != "config" {
		t.Errorf("title after = %+v", g)
	}

	code, _, body = e.do(t, "GET", "/about/privacy", "", nil)
	wantStatus(t, code, 200, body)
	for _, want := range []string{"Iceland", "1984 ehf.", "14 days", "an administrator approves each one"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/about/privacy lacks %q", want)
		}
	}
	code, _, body = e.do(t, "GET", "/api/v1/instance/privacy_policy", "", nil)
	wantStatus(t, code, 200, body)
	if pp := decode[map[string]string](t, body); !strings.Contains(pp["content"], "Iceland") {
		t.Errorf("privacy_policy lacks the jurisdiction: %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/instance", "", nil)
	wantStatus(t, code, 200, body)
	if !strings.Contains(string(body), `"jurisdiction":"Iceland"`) || !strings.Contains(string(body), `"approval_required":true`) {
		t.Errorf("/api/v1/instance does not follow the change: %s", body)
	}
	if days := retentionDaysOf(t, e, tok, "notifications"); days != 14 {
		t.Errorf("admin retention notifications = %d, want 14", days)
	}

	// DELETE resets a key; so does null in a PATCH.
	code, _, body = e.do(t, "DELETE", adminSettingsPath+"/retention.notifications_days", tok, nil)
	wantStatus(t, code, 200, body)
	if g := decode[map[string]AdminSetting](t, body)["retention.notifications_days"]; g.Value != float64(90) || g.Source != "config" {
		t.Errorf("notifications after DELETE = %+v", g)
	}
	if days := retentionDaysOf(t, e, tok, "notifications"); days != 90 {
		t.Errorf("admin retention notifications after reset = %d, want 90", days)
	}
	code, _, body = e.do(t, "PATCH", adminSettingsPath, tok, `{"instance.registration": null, "instance.jurisdiction": null}`)
	wantStatus(t, code, 200, body)
	if e.svc.Settings().Registration != model.RegistrationClosed || e.svc.Settings().Privacy.Jurisdiction != "" {
		t.Errorf("after resetting: %q %q", e.svc.Settings().Registration, e.svc.Settings().Privacy.Jurisdiction)
	}
}

func retentionDaysOf(t *testing.T, e *testEnv, tok, category string) int {
	t.Helper()
	code, _, body := e.do(t, "GET", "/api/v1/admin/retention", tok, nil)
	wantStatus(t, code, 200, body)
	for _, c := range decode[[]RetentionCategory](t, body) {
		if c.Category == category {
			return c.MaxAgeDays
		}
	}
	t.Fatalf("no %s in %s", category, body)
	return 0
}

// TestAdminSettingsBadInput: refused values answer 422 with the
// configuration's message and change nothing; the wrong people are refused.
func TestAdminSettingsBadInput(t *testing.T) {
	e := newTestEnvWith(t, closedSettings())
	ctx := context.Background()
	_, tok := e.user(t, "boss", "admin:read admin:write")
	_, readOnly := e.user(t, "looker", "admin:read")
	_, plain := e.user(t, "plain", "admin:read admin:write")
	_, mod := e.user(t, "mod", "admin:read admin:write")
	for _, name := range []string{"boss", "looker"} {
		if err := e.svc.SetRole(ctx, name, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.SetRole(ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	code, _, before := e.do(t, "GET", adminSettingsPath, tok, nil)
	wantStatus(t, code, 200, before)

	for _, c := range []struct {
		name string
		body any
		code int
		want string
	}{
		{"out of range", map[string]any{"retention.notifications_days": 5000}, 422,
			"retention.notifications_days: must be 0 (keep forever) or between 1 and 3650 days, got 5000"},
		{"opening undeclared", map[string]any{"instance.registration": "open"}, 422,
			"instance.jurisdiction: must be declared before registrations are opened"},
		{"one bad of two", map[string]any{"instance.title": "New", "instance.contact_email": "not an address"}, 422, "instance.contact_email"},
		{"wrong type", map[string]any{"instance.rules": "one rule"}, 422, "instance.rules: must be a list of strings"},
		{"unknown key", map[string]any{"instance.theme": "dark"}, 422, "instance.theme: is not a setting"},
		{"start-only key", map[string]any{"retention.jobs_days": 3}, 422, "retention.jobs_days: is not a setting"},
		{"form body", url.Values{"instance.title": {"New"}}, 422, "JSON object"},
		{"not an object", `["instance.title"]`, 400, ""},
		{"broken JSON", `{"instance.title": `, 400, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, body := e.do(t, "PATCH", adminSettingsPath, tok, c.body)
			wantStatus(t, code, c.code, body)
			msg := decode[map[string]any](t, body)["error"]
			if s, ok := msg.(string); !ok || !strings.Contains(s, c.want) {
				t.Errorf("error = %v, want it to contain %q", msg, c.want)
			}
		})
	}
	code, _, body := e.do(t, "DELETE", adminSettingsPath+"/instance.theme", tok, nil)
	wantStatus(t, code, 422, body)

	for _, c := range []struct {
		method, path, token string
		body                any
		code                int
	}{
		{"GET", adminSettingsPath, plain, nil, 403},
		{"PATCH", adminSettingsPath, plain, map[string]any{"instance.title": "Mine"}, 403},
		{"DELETE", adminSettingsPath + "/instance.title", plain, nil, 403},
		{"PATCH", adminSettingsPath, readOnly, map[string]any{"instance.title": "Mine"}, 403},
		{"GET", adminSettingsPath, mod, nil, 200},
		{"PATCH", adminSettingsPath, mod, map[string]any{"instance.title": "Mine"}, 403},
		{"DELETE", adminSettingsPath + "/instance.title", mod, nil, 403},
		{"GET", adminSettingsPath, "", nil, 401},
		{"PATCH", adminSettingsPath, "", map[string]any{"instance.title": "Mine"}, 401},
	} {
		code, _, body := e.do(t, c.method, c.path, c.token, c.body)
		if code != c.code {
			t.Errorf("%s %s as %q: %d, want %d: %s", c.method, c.path, c.token, code, c.code, body)
		}
	}
	code, _, after := e.do(t, "GET", adminSettingsPath, readOnly, nil)
	wantStatus(t, code, 200, after)
	if string(before) != string(after) {
		t.Errorf("refused requests changed the settings:\n%s\n%s", before, after)
	}
}

// adminSettingsChecker checks Roost's admin settings responses, which
// Mastodon's schema lacks: an object of key → {value, source}, or
// Mastodon's error entity.
type adminSettingsChecker struct{ responseChecker }

func withAdminSettings(next responseChecker) responseChecker { return adminSettingsChecker{next} }

func (c adminSettingsChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if !strings.HasPrefix(path, adminSettingsPath) {
		c.responseChecker.CheckResponse(t, method, path, status, header, body)
		return
	}
	if status >= 400 {
		var e struct {
			Error *string `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
			t.Errorf("%s %s -> %d: not an error entity: %s", method, path, status, body)
		}
		return
	}
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || len(m) == 0 {
		t.Errorf("%s %s: not an object of settings: %s", method, path, body)
		return
	}
	for key, v := range m {
		var src string
		if _, ok := v["value"]; !ok || json.Unmarshal(v["source"], &src) != nil || (src != "config" && src != "override") {
			t.Errorf("%s %s: setting %s = %s", method, path, key, v)
		}
	}
}
