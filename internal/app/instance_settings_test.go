package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// settingsCall sends a request to Roost's admin settings API (which the
// Mastodon schema lacks, so the client is not the checked one) and returns
// the status and body.
func settingsCall(t *testing.T, s *server, method, path, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// staffToken creates an approved user with role and returns a token
// carrying scopes.
func staffToken(t *testing.T, s *server, username string, role model.Role, scopes string) string {
	t.Helper()
	ctx := context.Background()
	svc := s.app.Service()
	if _, err := svc.CreateUser(ctx, core.NewUser{Username: username, Password: "password-" + username, Role: role, Approved: true}); err != nil {
		t.Fatal(err)
	}
	ap, _, err := svc.CreateApp(ctx, core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.PasswordGrant(ctx, ap, username, "password-"+username, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return g.AccessToken
}

// TestRuntimeSettingsCannotDrift extends issue 4's no-drift proof to the
// settings an admin changes at run time: the jurisdiction and a retention
// limit changed through the API show at once on /about/privacy, Mastodon's
// privacy policy, the instance documents, NodeInfo's metadata and the
// admin retention listing, and a restarted server keeps them.
func TestRuntimeSettingsCannotDrift(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		s, stop := startStoppable(t, db, nil, app.Options{})
		admin := staffToken(t, s, "boss", model.RoleAdmin, "admin:read admin:write")
		user := staffToken(t, s, "plain", model.RoleUser, "admin:read admin:write")

		code, body := settingsCall(t, s, "PATCH", "/api/v1/roost/admin/settings", user, `{"instance.jurisdiction": "Nowhere"}`)
		if code != http.StatusForbidden || !strings.Contains(string(body), `"error"`) {
			t.Errorf("non-staff PATCH: %d %s", code, body)
		}
		code, body = settingsCall(t, s, "PATCH", "/api/v1/roost/admin/settings", admin, `{"retention.notifications_days": -3}`)
		if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "retention.notifications_days") {
			t.Errorf("out-of-range PATCH: %d %s", code, body)
		}

		before := readPrivacyOutputs(t, s)
		code, body = settingsCall(t, s, "PATCH", "/api/v1/roost/admin/settings", admin, `{
			"instance.jurisdiction": "Iceland", "instance.hosting_provider": "1984 ehf.",
			"instance.registration": "approval", "retention.notifications_days": 45}`)
		if code != http.StatusOK {
			t.Fatalf("PATCH: %d %s", code, body)
		}
		after := readPrivacyOutputs(t, s)

		if before.v1["jurisdiction"] != "" || after.v1["jurisdiction"] != "Iceland" || after.v2["jurisdiction"] != "Iceland" {
			t.Errorf("instance documents: before %v, after %v", before.v1["jurisdiction"], after.v1["jurisdiction"])
		}
		if after.nodeinfo["jurisdiction"] != "Iceland" || after.nodeinfo["hostingProvider"] != "1984 ehf." ||
			after.nodeinfo["registrations"] != "approval" {
			t.Errorf("NodeInfo metadata did not follow: %v", after.nodeinfo)
		}
		if d := after.nodeinfo["retentionDays"].(map[string]any)["notifications"]; d != float64(45) {
			t.Errorf("NodeInfo notifications retention = %v, want 45", d)
		}
		for name, pair := range map[string][2]string{"page": {before.page, after.page}, "privacy_policy": {before.policy, after.policy}} {
			for _, want := range []string{"Iceland", "1984 ehf.", "45 days", "an administrator approves each one"} {
				if strings.Contains(pair[0], want) || !strings.Contains(pair[1], want) {
					t.Errorf("%s does not follow the change to %q", name, want)
				}
			}
		}
		if code, body := settingsCall(t, s, "GET", "/", "", ""); code != http.StatusOK ||
			!strings.Contains(string(body), "an administrator approves new accounts") {
			t.Errorf("front page does not follow the registration mode: %d %s", code, body)
		}
		if d := adminRetentionDays(t, s, admin, "notifications"); d != 45 {
			t.Errorf("GET /api/v1/admin/retention notifications = %d, want 45", d)
		}

		// A restart layers the stored overrides over the configuration again.
		stop()
		cfg := loadConfig(t, s.flags...)
		a, err := app.Open(context.Background(), cfg, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		set := a.Service().Settings()
		if set.Privacy.Jurisdiction != "Iceland" || set.Registration != model.RegistrationApproval ||
			set.Retention.MaxAge(retention.Notifications) != 45*retention.Day {
			t.Errorf("after restart: %q %q %v", set.Privacy.Jurisdiction, set.Registration, set.Retention.MaxAge(retention.Notifications))
		}
		if f := a.Service().PrivacyFacts(); !bytes.Contains([]byte(f.Text()), []byte("Iceland")) {
			t.Error("privacy facts after restart lack the jurisdiction")
		}
	})
}

func adminRetentionDays(t *testing.T, s *server, token, category string) int {
	t.Helper()
	code, body := settingsCall(t, s, "GET", "/api/v1/admin/retention", token, "")
	if code != http.StatusOK {
		t.Fatalf("GET /api/v1/admin/retention: %d %s", code, body)
	}
	var cats []struct {
		Category   string `json:"category"`
		MaxAgeDays int    `json:"max_age_days"`
	}
	if err := json.Unmarshal(body, &cats); err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.Category == category {
			return c.MaxAgeDays
		}
	}
	t.Fatalf("no %s in %s", category, body)
	return 0
}
