package ratelimit

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParseProxies([]string{"10.0.0.0/8", "::1", "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "198.51.100.7:4000", nil, "198.51.100.7"},
		{"untrusted peer's header is ignored", "198.51.100.7:4000", []string{"203.0.113.1"}, "198.51.100.7"},
		{"trusted peer, one hop", "127.0.0.1:4000", []string{"203.0.113.1"}, "203.0.113.1"},
		{"rightmost untrusted hop wins over a spoofed left", "127.0.0.1:4000", []string{"1.2.3.4, 203.0.113.1, 10.1.1.1"}, "203.0.113.1"},
		{"several header lines", "[::1]:4000", []string{"1.2.3.4", "203.0.113.1", "10.1.1.1"}, "203.0.113.1"},
		{"all hops trusted: the leftmost", "127.0.0.1:4000", []string{"10.2.2.2, 10.1.1.1"}, "10.2.2.2"},
		{"garbage stops the walk", "127.0.0.1:4000", []string{"203.0.113.1, nonsense"}, "127.0.0.1"},
		{"hop with a port", "127.0.0.1:4000", []string{"[2001:db8::5]:443"}, "2001:db8::5"},
		{"no header from a trusted peer", "10.0.0.3:4000", nil, "10.0.0.3"},
		{"mapped IPv4 peer", "[::ffff:198.51.100.7]:4000", nil, "198.51.100.7"},
	} {
		r := httptest.NewRequest("GET", "/api/v1/instance", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		got, ok := clientAddr(r, trusted)
		if !ok || got != netip.MustParseAddr(c.want) {
			t.Errorf("%s: %v %v, want %s", c.name, got, ok, c.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "@"
	if _, ok := clientAddr(r, nil); ok {
		t.Error("an unreadable peer address gave a client address")
	}
}

func TestIPv6CountsPerSlash64(t *testing.T) {
	a := addrBytes(netip.MustParseAddr("2001:db8:1:2:aaaa::1"))
	b := addrBytes(netip.MustParseAddr("2001:db8:1:2:bbbb::9"))
	c := addrBytes(netip.MustParseAddr("2001:db8:1:3::1"))
	if string(a) != string(b) || string(a) == string(c) {
		t.Errorf("IPv6 is not grouped by /64: %x %x %x", a, b, c)
	}
	if len(addrBytes(netip.MustParseAddr("192.0.2.1"))) != 4 {
		t.Error("IPv4 is not keyed whole")
	}
}

func TestParseProxies(t *testing.T) {
	got, err := ParseProxies([]string{"192.0.2.7", "10.1.2.3/8", " fd00::/8 "})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.0.2.7/32", "10.0.0.0/8", "fd00::/8"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Errorf("entry %d = %s, want %s", i, p, want[i])
		}
	}
	for _, bad := range []string{"", "localhost", "10.0.0.0/33", "fe80::1%eth0", "1.2.3.4/x"} {
		if _, err := ParseProxies([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
