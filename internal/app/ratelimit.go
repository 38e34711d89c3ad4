package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/ratelimit"
)

// rateRules are Roost's limits, after Mastodon's Rack::Attack throttles of
// the same names. They run in this order and the first to refuse answers
// 429. Federation (the inbox, actor and object fetches, WebFinger) is not
// limited: servers deliver from a few addresses each and retry for days,
// so a limit per address would slow federation for everyone on a big
// server, and a limit per signing host can only come after the signature
// is verified (inside the federation adapter), since the keyId of an
// unverified request is the sender's to choose.
var rateRules = []ratelimit.Rule{
	// throttle_api_sign_up: account creation, per address.
	{Name: "sign-up", Window: ratelimit.Window{Limit: 5, Period: 30 * time.Minute}, By: ratelimit.Address,
		Match: func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/api/v1/accounts" }},
	// throttle_login_attempts/ip: the sign-in form and the token endpoint
	// (the password grant among others), per address. core's throttle
	// counts failures per account besides.
	{Name: "sign-in", Window: ratelimit.Window{Limit: 25, Period: 5 * time.Minute}, By: ratelimit.Address,
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && (r.URL.Path == "/oauth/token" || r.URL.Path == "/oauth/authorize")
		}},
	// throttle_per_token_api: each token's API calls.
	{Name: "token", Window: ratelimit.Window{Limit: 300, Period: 5 * time.Minute}, By: ratelimit.Token, Match: clientAPI},
	// throttle_unauthenticated_api: API calls without a valid token, per
	// address.
	{Name: "guest", Window: ratelimit.Window{Limit: 300, Period: 5 * time.Minute}, By: ratelimit.Guest, Match: clientAPI},
}

// clientAPI matches the Mastodon client API and the OAuth endpoints.
func clientAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/oauth/")
}

// defaultProxies are trusted as proxies whatever the setting says, as
// Rails (and so Mastodon) trusts them: loopback and private networks, where
// a reverse proxy on the same machine or a container network sits. Without
// them, every user behind such a proxy would share one count, or, from
// loopback, none at all. A client there can claim any address in
// X-Forwarded-For, but only to be counted under it.
var defaultProxies = []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}

// newGuard builds the rate limiter from the trusted-proxy setting, which
// Validate has checked, added to defaultProxies. A token counts as one once
// core accepts it.
func newGuard(trusted []string, svc *core.Service) (*ratelimit.Guard, error) {
	proxies, err := ratelimit.ParseProxies(append(append([]string{}, defaultProxies...), trusted...))
	if err != nil {
		return nil, err
	}
	valid := func(ctx context.Context, tok string) bool {
		_, err := svc.Authenticate(ctx, tok)
		return err == nil
	}
	return ratelimit.New(ratelimit.Options{Rules: rateRules, TrustedProxies: proxies, ValidToken: valid}), nil
}

// limit puts the rate limiter, when there is one, in front of h.
func (s *site) limit(h http.Handler) http.Handler {
	if s.guard == nil {
		return h
	}
	return s.guard.Wrap(h)
}
