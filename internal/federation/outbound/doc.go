// Package outbound owns the one HTTP client through which Roost talks to
// other servers: WebFinger, actor and object fetches, and delivery all go
// through a *Client, so the rules below hold for every outbound request.
//
// Destinations. Only https URLs are fetched. Plain http is allowed only when
// Options.AllowPrivate is set, which is the explicit development switch
// (config dev.allow_private_networks) for loopback test domains; production
// federation is https-only. URLs with credentials, without a host, or with
// a numeric host that is not a valid IP address ("2130706433", "0x7f.1",
// which some resolvers read as IPv4) are refused. Any port is allowed, as
// Mastodon does.
//
// Addresses. The client resolves the host name itself and refuses the whole
// request if any resolved address (or the literal IP in the URL) is not a
// public unicast address: loopback, private (RFC 1918, fc00::/7), link-local,
// multicast, unspecified, CGNAT, documentation and benchmarking ranges,
// reserved space, and IPv4-mapped, 6to4, Teredo and NAT64 addresses that
// embed any of those (see Classify). It then connects to the checked IP
// itself, never to the name, so a DNS answer that changes between check and
// connect (rebinding) cannot redirect the connection; the Host header and TLS
// server name stay the host name. The dialer checks the address once more
// just before connecting, as defence in depth. Environment proxies are
// ignored, since a proxy would resolve names out of the client's sight.
//
// Redirects. At most Options.MaxRedirects are followed; each target is
// checked like the first URL (scheme, then addresses when it is dialled), and
// a redirect from https to http is refused even in development. Signature,
// Authorization, Cookie and Referer headers are dropped on every redirect; a
// Call.Sign function signs each hop afresh, since a signature covers its
// target. Methods and bodies follow net/http (303 becomes GET, 307 and 308
// resend the body).
//
// Responses. Bodies are read through a limit, and going over it is an error
// (ErrTooLarge), never silently truncated data. The client asks for gzip and
// the limit counts decompressed bytes, so a compression bomb stops at the
// limit. There is no cookie jar.
//
// Privacy. The User-Agent names the software and the instance, nothing about
// the user on whose behalf a request is made, and the client overrides any
// User-Agent a caller sets. The package logs nothing. Errors it returns name
// the method and the host but not the path or query, so logging them does not
// record whom local users interact with.
package outbound
