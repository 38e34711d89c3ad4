package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPrivacyReport runs `roost privacy report` on the built binary: the
// facts follow the configuration, and a public instance cannot open
// registrations without declaring its jurisdiction and hosting provider.
func TestPrivacyReport(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, nil, "", "privacy", "report")
	for _, want := range []string{"does not log IP addresses", "Anyone may sign up", "Jurisdiction: not declared",
		"administrators of the sender's server", "Notifications: Deleted after 90 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("default report lacks %q:\n%s", want, out)
		}
	}

	public := []string{"--domain", "social.example", "--behind-https-proxy", "--instance-registration", "approval"}
	r := run(t, dir, nil, "", append([]string{"privacy", "report"}, public...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "instance.jurisdiction") || !strings.Contains(r.stderr, "instance.hosting_provider") {
		t.Fatalf("undeclared public instance: exit %d\n%s", r.code, r.stderr)
	}

	declared := append(public, "--instance-jurisdiction", "Iceland", "--instance-hosting-provider", "1984 ehf.",
		"--instance-legal-policy-url", "https://social.example/legal", "--instance-email-required",
		"--retention-notifications-days", "45", "--http-trusted-proxies", "10.0.0.0/8")
	out = mustRun(t, dir, nil, "", append([]string{"privacy", "report"}, declared...)...)
	for _, want := range []string{"an administrator approves each one", "An email address is required", "Jurisdiction: Iceland",
		"Hosting provider: 1984 ehf.", "Legal process policy: https://social.example/legal", "Notifications: Deleted after 45 days",
		"A trusted proxy is configured", "https://social.example/about/privacy"} {
		if !strings.Contains(out, want) {
			t.Errorf("declared report lacks %q:\n%s", want, out)
		}
	}

	// Settings an admin changed at run time are in force, here as on the server.
	set := mustRun(t, dir, nil, "", append([]string{"admin", "settings", "instance.jurisdiction=Norway", "retention.notifications_days=12"}, declared...)...)
	if !strings.Contains(set, "instance.jurisdiction") || !strings.Contains(set, `"Norway"`) || !strings.Contains(set, "override") {
		t.Errorf("admin settings:\n%s", set)
	}
	out = mustRun(t, dir, nil, "", append([]string{"privacy", "report"}, declared...)...)
	for _, want := range []string{"Jurisdiction: Norway", "Notifications: Deleted after 12 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("report after run-time change lacks %q:\n%s", want, out)
		}
	}
	if r := run(t, dir, nil, "", append([]string{"admin", "settings", "retention.notifications_days=99999"}, declared...)...); r.code == 0 ||
		!strings.Contains(r.stderr, "notifications_days") {
		t.Errorf("out-of-range setting: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, dir, nil, "", append([]string{"admin", "settings", "instance.jurisdiction=null", "retention.notifications_days=null"}, declared...)...)

	js := mustRun(t, dir, nil, "", append([]string{"privacy", "report", "--json"}, declared...)...)
	var f struct {
		SignUp       struct{ Mode string } `json:"sign_up"`
		Jurisdiction string                `json:"jurisdiction"`
	}
	if err := json.Unmarshal([]byte(js), &f); err != nil || f.SignUp.Mode != "approval" || f.Jurisdiction != "Iceland" {
		t.Errorf("--json (%v):\n%s", err, js)
	}
}
