package outbound

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestDialerChecksAgain calls the connect step directly with a loopback
// address, as a future code path that skipped resolve would, and shows the
// socket's Control hook refuses it before anything connects.
func TestDialerChecksAgain(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 4)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			conn.Close()
		}
	}()
	target := netip.MustParseAddrPort(ln.Addr().String())
	ctx := context.Background()

	prod := New(Options{})
	if conn, err := prod.dialIP(ctx, "tcp", target); !errors.Is(err, ErrBlocked) {
		if conn != nil {
			conn.Close()
		}
		t.Fatalf("dialIP(%s) = %v, want ErrBlocked from the Control hook", target, err)
	}
	mapped := netip.AddrPortFrom(netip.AddrFrom16(target.Addr().As16()), target.Port())
	if _, err := prod.dialIP(ctx, "tcp", mapped); !errors.Is(err, ErrBlocked) {
		t.Fatalf("dialIP(%s) = %v, want ErrBlocked", mapped, err)
	}
	select {
	case <-accepted:
		t.Fatal("the refused dial reached the listener")
	case <-time.After(100 * time.Millisecond):
	}

	// Positive control: the same dial in development connects.
	dev := New(Options{AllowPrivate: true})
	conn, err := dev.dialIP(ctx, "tcp", target)
	if err != nil {
		t.Fatalf("development dial: %v", err)
	}
	conn.Close()
	select {
	case <-accepted:
	case <-time.After(2 * time.Second):
		t.Fatal("the development dial never arrived")
	}

	if err := prod.control("tcp", "not an address", nil); !errors.Is(err, ErrBlocked) {
		t.Errorf("unparsable address: %v, want refusal", err)
	}
	if err := prod.control("tcp", "[2606:4700::1111]:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}
