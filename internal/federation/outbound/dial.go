package outbound

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
)

// Resolver looks up a host name's addresses. *net.Resolver satisfies it;
// tests inject their own.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DialFunc connects to address, which is always an "ip:port" the client has
// already checked, never a host name.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// dialContext is the transport's only way out: it resolves the host, checks
// every address, and connects to a checked IP, so the name is never resolved
// again behind the check's back.
func (c *Client) dialContext(ctx context.Context, network, hostport string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, fmt.Errorf("outbound: dial: %w", ErrURL)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("outbound: dial %s: bad port: %w", host, ErrURL)
	}
	ips, err := c.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, ip := range ips {
		conn, err := c.dialIP(ctx, network, netip.AddrPortFrom(ip, uint16(port)))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// resolve returns the host's addresses, refusing the host if any one of them
// is not allowed: a name with a private address among public ones is a
// rebinding or internal-service trick, not a server to talk to.
func (c *Client) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		return []netip.Addr{ip}, c.check(host, ip)
	}
	found, err := c.resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("outbound: resolve %s: %w", host, err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("outbound: resolve %s: no addresses", host)
	}
	ips := make([]netip.Addr, 0, len(found))
	for _, f := range found {
		ip, ok := netip.AddrFromSlice(f.IP)
		if !ok {
			return nil, fmt.Errorf("outbound: resolve %s: malformed address", host)
		}
		ip = ip.Unmap().WithZone(f.Zone)
		if err := c.check(host, ip); err != nil {
			return nil, err
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

func (c *Client) check(host string, ip netip.Addr) error {
	if c.allowPrivate {
		return nil
	}
	if reason := Classify(ip); reason != "" {
		return &BlockedError{Host: host, Addr: ip, Reason: reason}
	}
	return nil
}

// dialIP connects to one checked address within the connect timeout.
func (c *Client) dialIP(ctx context.Context, network string, ap netip.AddrPort) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.connectTimeout)
	defer cancel()
	if c.dial != nil {
		return c.dial(ctx, network, ap.String())
	}
	return c.dialer.DialContext(ctx, network, ap.String())
}

// control runs just before the socket connects and checks the address once
// more, so that a future code path that dials a name by mistake still cannot
// reach a private address.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	if c.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("outbound: dial %s: unparsable address: %w", network, ErrBlocked)
	}
	return c.check(ap.Addr().String(), ap.Addr())
}
