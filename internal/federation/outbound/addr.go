package outbound

import "net/netip"

type rangeReason struct {
	prefix netip.Prefix
	reason string
}

func ranges(pairs ...string) []rangeReason {
	out := make([]rangeReason, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, rangeReason{netip.MustParsePrefix(pairs[i]), pairs[i+1]})
	}
	return out
}

// blocked4 lists the IPv4 space that is not publicly routable unicast, most
// specific first.
var blocked4 = ranges(
	"255.255.255.255/32", "broadcast",
	"0.0.0.0/8", "unspecified",
	"10.0.0.0/8", "private",
	"100.64.0.0/10", "shared (CGNAT)",
	"127.0.0.0/8", "loopback",
	"169.254.0.0/16", "link-local",
	"172.16.0.0/12", "private",
	"192.0.0.0/24", "special-purpose",
	"192.0.2.0/24", "documentation",
	"192.88.99.0/24", "6to4 relay anycast",
	"192.168.0.0/16", "private",
	"198.18.0.0/15", "benchmarking",
	"198.51.100.0/24", "documentation",
	"203.0.113.0/24", "documentation",
	"224.0.0.0/4", "multicast",
	"240.0.0.0/4", "reserved",
)

// blocked6 lists IPv6 space refused by name; anything else outside
// 2000::/3 (global unicast) is refused as reserved.
var blocked6 = ranges(
	"::/96", "IPv4-compatible (deprecated)",
	"64:ff9b:1::/48", "local-use NAT64",
	"100::/64", "discard-only",
	"2001:2::/48", "benchmarking",
	"2001:10::/28", "ORCHID",
	"2001:20::/28", "ORCHID",
	"2001:db8::/32", "documentation",
	"3fff::/20", "documentation",
	"fc00::/7", "private",
	"fec0::/10", "site-local",
)

var (
	global6 = netip.MustParsePrefix("2000::/3")
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4  = netip.MustParsePrefix("2002::/16")
	teredo  = netip.MustParsePrefix("2001::/32")
)

// Classify says why a is not a public unicast address that a remote server
// may be reached at, as a short reason such as "loopback" or "private"; it
// returns "" when a is public. Zones are ignored, an IPv4-mapped IPv6 address
// is classified as its IPv4 address, and NAT64, 6to4 and Teredo addresses are
// refused when the IPv4 address they embed would be.
func Classify(a netip.Addr) string {
	a = a.WithZone("").Unmap()
	switch {
	case a.Is4():
		return classify4(a)
	case a.Is6():
		return classify6(a)
	}
	return "invalid"
}

// IsPublic reports whether Classify finds nothing wrong with a.
func IsPublic(a netip.Addr) bool { return Classify(a) == "" }

func classify4(a netip.Addr) string {
	for _, r := range blocked4 {
		if r.prefix.Contains(a) {
			return r.reason
		}
	}
	return ""
}

func classify6(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsMulticast():
		return "multicast"
	case a.IsLinkLocalUnicast():
		return "link-local"
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return embedded("NAT64", v4(b[12], b[13], b[14], b[15]))
	case sixTo4.Contains(a):
		return embedded("6to4", v4(b[2], b[3], b[4], b[5]))
	case teredo.Contains(a):
		// The server address is plain; the client's is stored inverted.
		if r := embedded("Teredo server", v4(b[4], b[5], b[6], b[7])); r != "" {
			return r
		}
		return embedded("Teredo client", v4(^b[12], ^b[13], ^b[14], ^b[15]))
	}
	for _, r := range blocked6 {
		if r.prefix.Contains(a) {
			return r.reason
		}
	}
	if !global6.Contains(a) {
		return "reserved"
	}
	return ""
}

func v4(a, b, c, d byte) netip.Addr { return netip.AddrFrom4([4]byte{a, b, c, d}) }

func embedded(kind string, a netip.Addr) string {
	if r := classify4(a); r != "" {
		return kind + " embedding " + r
	}
	return ""
}
