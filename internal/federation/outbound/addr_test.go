package outbound_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/federation/outbound"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want string // "" for public, else a substring of the reason
	}{
		// Public, IPv4 and IPv6.
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"93.184.216.34", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"172.15.255.255", ""},
		{"172.32.0.0", ""},
		{"192.0.1.1", ""},
		{"198.17.255.255", ""},
		{"198.20.0.0", ""},
		{"223.255.255.255", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001:80b::200e", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},          // NAT64 of 8.8.8.8
		{"2002:808:808::1", ""},           // 6to4 of 8.8.8.8
		{"2001:0:808:808::f7f7:f7f7", ""}, // Teredo, server 8.8.8.8, client 8.8.8.8
		{"fe80::1%eth0", "link-local"},

		// IPv4 refusals.
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"10.0.0.1", "private"},
		{"10.255.255.255", "private"},
		{"100.64.0.1", "CGNAT"},
		{"100.127.255.254", "CGNAT"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"169.254.169.254", "link-local"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.0.0.8", "special-purpose"},
		{"192.0.2.10", "documentation"},
		{"192.88.99.1", "6to4 relay"},
		{"192.168.1.1", "private"},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.51.100.7", "documentation"},
		{"203.0.113.9", "documentation"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},

		// IPv4-mapped IPv6 of the same.
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.1.2.3", "private"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:0.0.0.0", "unspecified"},
		{"::ffff:100.64.0.1", "CGNAT"},
		{"::ffff:255.255.255.255", "broadcast"},

		// IPv6 refusals.
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"::127.0.0.1", "IPv4-compatible"},
		{"::8.8.8.8", "IPv4-compatible"},
		{"fe80::1", "link-local"},
		{"febf::1", "link-local"},
		{"fec0::1", "site-local"},
		{"fc00::1", "private"},
		{"fd12:3456:789a::1", "private"},
		{"ff02::1", "multicast"},
		{"ff05::2", "multicast"},
		{"2001:db8::1", "documentation"},
		{"3fff::1", "documentation"},
		{"2001:2::1", "benchmarking"},
		{"2001:10::1", "ORCHID"},
		{"2001:20::1", "ORCHID"},
		{"100::1", "discard"},
		{"64:ff9b::7f00:1", "NAT64 embedding loopback"},
		{"64:ff9b::a00:1", "NAT64 embedding private"},
		{"64:ff9b::a9fe:a9fe", "NAT64 embedding link-local"},
		{"64:ff9b:1::a00:1", "local-use NAT64"},
		{"2002:7f00:1::1", "6to4 embedding loopback"},
		{"2002:c0a8:101::1", "6to4 embedding private"},
		{"2001:0:a00:1::f7f7:f7f7", "Teredo server embedding private"},
		{"2001:0:808:808::80ff:fffe", "Teredo client embedding loopback"}, // ^7f00:0001
		{"4000::1", "reserved"},
		{"5f00::1", "reserved"},
		{"e000::1", "reserved"},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		got := outbound.Classify(a)
		if tt.want == "" && got != "" {
			t.Errorf("Classify(%s) = %q, want public", tt.addr, got)
		}
		if tt.want != "" && (got == "" || !strings.Contains(got, tt.want)) {
			t.Errorf("Classify(%s) = %q, want a reason containing %q", tt.addr, got, tt.want)
		}
		if outbound.IsPublic(a) != (got == "") {
			t.Errorf("IsPublic(%s) disagrees with Classify", tt.addr)
		}
	}
	if got := outbound.Classify(netip.Addr{}); got == "" {
		t.Error("the zero Addr must not be public")
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "8.8.8.8", "10.0.0.1", "::1", "fe80::1", "64:ff9b::7f00:1", "2002:c0a8:101::1", "2001:0:808:808::80ff:fffe", "2606:4700::1"} {
		f.Add(netip.MustParseAddr(s).AsSlice())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := netip.AddrFromSlice(b)
		reason := outbound.Classify(a) // must not panic, even on the zero Addr
		if !ok {
			return
		}
		if a.Is4() {
			mapped := netip.AddrFrom16(a.As16())
			if got := outbound.Classify(mapped); got != reason {
				t.Fatalf("Classify(%s) = %q but Classify(%s) = %q", a, reason, mapped, got)
			}
		}
		if a.Is6() {
			if got := outbound.Classify(a.WithZone("eth0")); got != reason {
				t.Fatalf("a zone changed the class of %s: %q vs %q", a, reason, got)
			}
		}
		u := a.Unmap()
		special := u.IsLoopback() || u.IsPrivate() || u.IsLinkLocalUnicast() || u.IsLinkLocalMulticast() ||
			u.IsInterfaceLocalMulticast() || u.IsMulticast() || u.IsUnspecified() || !u.IsGlobalUnicast()
		if special && reason == "" {
			t.Fatalf("Classify(%s) says public, but the standard library calls it special", a)
		}
	})
}
