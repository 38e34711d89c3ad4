package app

import (
	"log"
	"log/slog"
	"net/netip"
	"regexp"
	"strings"
)

// serverErrorLog is the http.Server's ErrorLog: net/http names the client's
// address in some of its messages (TLS handshake errors, failed reads), so
// each line goes to the log with anything that parses as an address
// replaced by "[address]".
func serverErrorLog(l *slog.Logger) *log.Logger {
	return log.New(errorLogWriter{l}, "", 0)
}

type errorLogWriter struct{ log *slog.Logger }

func (w errorLogWriter) Write(p []byte) (int, error) {
	msg, _, _ := strings.Cut(string(p), "\n") // a panic's stack trace stays out
	w.log.Warn("http server: " + scrubAddresses(msg))
	return len(p), nil
}

// addressLike matches what might be an IPv4 or IPv6 address, with or
// without brackets, zone and port; scrubAddresses checks each match.
var addressLike = regexp.MustCompile(`\[?[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*(%[0-9A-Za-z_.-]+)?\]?(:[0-9]+)?`)

func scrubAddresses(s string) string {
	return addressLike.ReplaceAllStringFunc(s, func(m string) string {
		core := strings.TrimRight(m, ":.") // "from 192.0.2.1:5000: EOF"
		if isAddress(core) {
			return "[address]" + m[len(core):]
		}
		return m
	})
}

func isAddress(s string) bool {
	if _, err := netip.ParseAddrPort(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return err == nil
}
