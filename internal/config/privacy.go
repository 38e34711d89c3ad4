package config

import (
	"net/url"
	"strings"
)

// maxDeclaredChars bounds the declared jurisdiction and hosting provider:
// a name, not an essay.
const maxDeclaredChars = 200

// checkPrivacy validates what the admin declares for the privacy facts, and
// refuses open registrations (open or approval) on a public domain until
// the jurisdiction and hosting provider are declared: people must know
// whose law and whose machines hold their data before they sign up. A
// loopback domain is a private test instance nobody else can join, so the
// zero-configuration server (open, on localhost) still starts. A domain
// that is not valid is reported on its own.
func (c *Config) checkPrivacy() []error {
	in := c.Instance
	var errs []error
	for _, kv := range []struct{ key, v string }{
		{"instance.jurisdiction", in.Jurisdiction}, {"instance.hosting_provider", in.HostingProvider},
	} {
		if len([]rune(kv.v)) > maxDeclaredChars {
			errs = append(errs, bad(kv.key, "must be at most %d characters", maxDeclaredChars))
		}
		if strings.ContainsAny(kv.v, "\x00\r\n") {
			errs = append(errs, bad(kv.key, "must be one line"))
		}
	}
	if v := in.LegalPolicyURL; v != "" {
		u, err := url.Parse(v)
		if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
			errs = append(errs, bad("instance.legal_policy_url", "must be an absolute https:// URL, got %q", v))
		}
	}
	opening := in.Registration == RegistrationOpen || in.Registration == RegistrationApproval
	if opening && checkDomain(c.Domain) == nil && !isLoopbackDomain(c.Domain) {
		for _, kv := range []struct{ key, v string }{
			{"instance.jurisdiction", in.Jurisdiction}, {"instance.hosting_provider", in.HostingProvider},
		} {
			if strings.TrimSpace(kv.v) == "" {
				errs = append(errs, bad(kv.key, "must be declared before registrations are opened "+
					"(instance.registration is %q): users are told whose law and whose machines hold their data; "+
					"declare instance.jurisdiction and instance.hosting_provider, or set instance.registration to invite or closed",
					in.Registration))
			}
		}
	}
	return errs
}
