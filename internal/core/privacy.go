package core

import (
	"github.com/roost-social/roost/internal/privacy"
	"github.com/roost-social/roost/internal/retention"
)

// PrivacySettings are the settings only the privacy facts read: what the
// admin declares, and how other parts of the server are configured.
type PrivacySettings struct {
	Jurisdiction    string
	HostingProvider string
	LegalPolicyURL  string
	// TrustedProxy is true when a reverse proxy's forwarded address is
	// read (for rate limiting only).
	TrustedProxy bool
	// PurgeScheduled is true when the retention purge runs on a schedule;
	// without it, a limit of the policy is applied by nothing.
	PurgeScheduled bool
}

// PrivacyFacts derives the instance's privacy facts from set: the same
// settings the use cases enforce (the registration mode, whether an email
// is required, the retention policy), so what is published is what the
// server does.
func PrivacyFacts(set Settings) privacy.Facts {
	return privacy.Derive(privacy.Input{
		Title: set.Title, BaseURL: set.BaseURL,
		Registration: set.Registration, EmailRequired: set.EmailRequired,
		Jurisdiction: set.Privacy.Jurisdiction, HostingProvider: set.Privacy.HostingProvider,
		LegalPolicyURL: set.Privacy.LegalPolicyURL, TrustedProxy: set.Privacy.TrustedProxy,
		Retention: retentionRules(set.Retention, set.Privacy.PurgeScheduled),
		// Direct messages are not end-to-end encrypted yet: once they can
		// be, this follows that setting.
		E2EEDirectMessages: false,
	})
}

// retentionRules turns the retention policy's catalogue into the facts'
// rules.
func retentionRules(p retention.Policy, scheduled bool) []privacy.Rule {
	var out []privacy.Rule
	for _, c := range retention.Categories(p) {
		out = append(out, privacy.Rule{
			Category: string(c.Category), MaxAge: c.MaxAge, Description: c.Description,
			Held:      c.How != retention.Nothing,
			Automatic: c.How == retention.Queue || (c.How == retention.Sweep && scheduled),
		})
	}
	return out
}

// PrivacyFacts returns the instance's privacy facts.
func (s *Service) PrivacyFacts() privacy.Facts { return PrivacyFacts(s.settings()) }
