package outbound

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
)

var (
	// ErrBlocked means the destination resolved to an address the client
	// refuses to connect to; the error is a *BlockedError.
	ErrBlocked = errors.New("outbound: destination address not allowed")
	// ErrScheme means a URL's scheme is not allowed: anything but https,
	// or http outside development.
	ErrScheme = errors.New("outbound: URL scheme not allowed")
	// ErrDowngrade means a redirect went from https to http.
	ErrDowngrade = errors.New("outbound: redirect from https to http")
	// ErrURL means a URL is malformed, has no host or carries credentials.
	ErrURL = errors.New("outbound: URL not allowed")
	// ErrTooManyRedirects means the redirect limit was reached.
	ErrTooManyRedirects = errors.New("outbound: too many redirects")
	// ErrTooLarge means a response body went over its size limit. It is
	// returned by the body's Read instead of the bytes over the limit.
	ErrTooLarge = errors.New("outbound: response body too large")
	// ErrNotJSON means a JSON fetch got a response of another media type.
	ErrNotJSON = errors.New("outbound: response is not JSON")
)

// BlockedError reports a destination address the client refused.
type BlockedError struct {
	Host   string // host name or IP literal being reached
	Reason string // why, as from Classify, such as "loopback"
	// Addr is the refused address. Error leaves it out; a caller that logs it
	// should mind that it may be an internal address of the hosting network.
	Addr netip.Addr
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("outbound: %s: refusing %s address", e.Host, e.Reason)
}

// Is makes errors.Is(err, ErrBlocked) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// StatusError reports a response whose status a convenience method does not
// accept; delivery reads Code to tell 401, 410 and 5xx apart.
type StatusError struct {
	Code   int
	Header http.Header // the response headers, for Retry-After
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("outbound: unexpected status %d", e.Code)
}
