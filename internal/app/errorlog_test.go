package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestServerErrorLogDropsAddresses(t *testing.T) {
	var buf bytes.Buffer
	l := serverErrorLog(slog.New(slog.NewTextHandler(&buf, nil)))
	l.Printf("http: TLS handshake error from 203.0.113.9:51234: read tcp 127.0.0.1:8080->203.0.113.9:51234: connection reset by peer")
	l.Printf("http2: server: error reading preface from client [2001:db8::77]:443: timeout at 10:05:00")
	l.Printf("http: panic serving 198.51.100.4:1: boom\ngoroutine 1 [running]:\nmain.secret()")
	l.Printf("http: Accept error: accept tcp [::]:8080: too many open files; retrying in 5ms")
	out := buf.String()
	for _, leak := range []string{"203.0.113", "2001:db8", "198.51.100", "127.0.0.1", "main.secret"} {
		if strings.Contains(out, leak) {
			t.Errorf("the log holds %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{"TLS handshake error from [address]: read tcp [address]->[address]: connection reset",
		"error reading preface", "10:05:00", "http: panic serving [address]: boom", "too many open files"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}
