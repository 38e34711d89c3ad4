package app

import (
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
)

// privacySettings picks from the configuration what only the privacy facts
// read.
func privacySettings(cfg *config.Config) core.PrivacySettings {
	return core.PrivacySettings{
		Jurisdiction:    cfg.Instance.Jurisdiction,
		HostingProvider: cfg.Instance.HostingProvider,
		LegalPolicyURL:  cfg.Instance.LegalPolicyURL,
		TrustedProxy:    len(cfg.HTTP.TrustedProxies) > 0,
		PurgeScheduled:  cfg.Retention.PurgeMinutes > 0,
	}
}
