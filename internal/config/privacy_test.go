package config

import (
	"slices"
	"strings"
	"testing"
)

// TestRegistrationsNeedDeclarations: a public instance cannot open
// registrations (open or approval) before it declares its jurisdiction and
// hosting provider; invite-only, closed and loopback instances can; the
// zero configuration still loads.
func TestRegistrationsNeedDeclarations(t *testing.T) {
	if _, err := Load(nil, nil); err != nil {
		t.Fatalf("zero configuration: %v", err)
	}
	public := []string{"ROOST_DOMAIN=social.example", "ROOST_BEHIND_HTTPS_PROXY=true"}
	for _, mode := range []string{"", "open", "approval"} {
		env := append(slices.Clone(public), "ROOST_INSTANCE_REGISTRATION="+mode)
		_, err := Load(env, nil)
		if got := keysOf(err); !slices.Equal(got, []string{"instance.jurisdiction", "instance.hosting_provider"}) {
			t.Errorf("registration %q undeclared: keys %v (err %v)", mode, got, err)
		}
		if err == nil || !strings.Contains(err.Error(), "must be declared before registrations are opened") {
			t.Errorf("registration %q: message %v", mode, err)
		}
		_, err = Load(append(env, "ROOST_INSTANCE_JURISDICTION=Iceland"), nil)
		if got := keysOf(err); !slices.Equal(got, []string{"instance.hosting_provider"}) {
			t.Errorf("registration %q, jurisdiction only: keys %v", mode, got)
		}
		c, err := Load(append(env, "ROOST_INSTANCE_JURISDICTION=Iceland", "ROOST_INSTANCE_HOSTING_PROVIDER=1984 ehf.",
			"ROOST_INSTANCE_LEGAL_POLICY_URL=https://social.example/legal"), nil)
		if err != nil || c.Instance.Jurisdiction != "Iceland" || c.Instance.LegalPolicyURL != "https://social.example/legal" {
			t.Errorf("registration %q declared: %v", mode, err)
		}
	}
	for _, mode := range []string{"invite", "closed"} {
		if _, err := Load(append(slices.Clone(public), "ROOST_INSTANCE_REGISTRATION="+mode), nil); err != nil {
			t.Errorf("registration %q needs no declaration: %v", mode, err)
		}
	}
}

func TestDeclarationsValidated(t *testing.T) {
	cases := []struct {
		key    string
		mutate func(*Config)
	}{
		{"instance.legal_policy_url", func(c *Config) { c.Instance.LegalPolicyURL = "javascript:alert(1)" }},
		{"instance.legal_policy_url", func(c *Config) { c.Instance.LegalPolicyURL = "/legal" }},
		{"instance.jurisdiction", func(c *Config) { c.Instance.Jurisdiction = "Iceland\nand more" }},
		{"instance.hosting_provider", func(c *Config) { c.Instance.HostingProvider = strings.Repeat("x", 201) }},
	}
	for _, tc := range cases {
		c := Default()
		tc.mutate(c)
		if got := keysOf(c.Validate()); !slices.Equal(got, []string{tc.key}) {
			t.Errorf("%s: keys = %v", tc.key, got)
		}
	}
}
