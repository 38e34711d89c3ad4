package config

import (
	"github.com/roost-social/roost/internal/ratelimit"
)

// HTTP holds what the server needs to know about the network in front of
// it.
type HTTP struct {
	// TrustedProxies are the proxies whose X-Forwarded-For header is
	// believed. The header is read for rate limiting alone; nothing else in
	// Roost reads a client's address.
	TrustedProxies []string `toml:"trusted_proxies" sep:"," help:"addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For is read, for rate limiting only; comma-separated, added to loopback and private networks, which are always trusted"`
}

func (h HTTP) check() []error {
	var errs []error
	for _, s := range h.TrustedProxies {
		p, err := ratelimit.ParseProxy(s)
		switch {
		case err != nil:
			errs = append(errs, bad("http.trusted_proxies", "%v", err))
		case p.Bits() == 0:
			errs = append(errs, bad("http.trusted_proxies", "%q trusts every address, which would let any client choose the address it is counted under; list your proxies", s))
		}
	}
	return errs
}
