package ratelimit

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ParseProxies parses the trusted-proxy setting: CIDR prefixes
// ("10.0.0.0/8", "::1/128") or single addresses ("127.0.0.1").
func ParseProxies(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := ParseProxy(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseProxy parses one trusted-proxy entry: a CIDR prefix or a single
// address, which stands for itself alone.
func ParseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix such as 10.0.0.0/8 or fd00::/8", s)
		}
		if p.Addr().Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q: zones are not allowed", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// clientAddr is the address a request is counted under. It is the TCP
// peer, unless the peer is a trusted proxy: then X-Forwarded-For is read
// from the right, skipping trusted proxies, and the first address that is
// not one is the client (a client can prepend anything it likes, but not
// what the proxies append after it). An entry that does not parse ends the
// walk at the last good address. ok is false when the peer address cannot
// be read (a Unix socket).
func clientAddr(r *http.Request, trusted []netip.Prefix) (a netip.Addr, ok bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	a = peer.Addr().Unmap()
	if !isTrusted(a, trusted) {
		return a, true
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			return a, true
		}
		a = hop
		if !isTrusted(a, trusted) {
			break
		}
	}
	return a, true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedFor splits the X-Forwarded-For header lines into hops, in order.
func forwardedFor(lines []string) []string {
	var hops []string
	for _, l := range lines {
		for h := range strings.SplitSeq(l, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	return hops
}

// parseHop reads one X-Forwarded-For entry: an address, or an address
// with a port ("192.0.2.1:443", "[2001:db8::1]:443").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// addrBytes is what an address is keyed by: all of an IPv4 address, the
// /64 prefix of an IPv6 one.
func addrBytes(a netip.Addr) []byte {
	if a.Is4() {
		b := a.As4()
		return b[:]
	}
	b := a.As16()
	clear(b[8:])
	return b[:]
}
