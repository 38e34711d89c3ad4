package outbound

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultConnectTimeout   = 5 * time.Second
	DefaultMaxResponseBytes = 1 << 20
	DefaultMaxRedirects     = 3
)

// Options configures a Client. The zero value of each field picks the
// default named beside it.
type Options struct {
	// UserAgent is sent on every request; build it with UserAgent. It must
	// name the software and the instance and nothing about any user.
	UserAgent string
	// AllowPrivate is the development switch (dev.allow_private_networks):
	// it allows http and every address, loopback and private included.
	AllowPrivate bool
	// Timeout bounds a whole call, redirects and reading the body included
	// (DefaultTimeout).
	Timeout time.Duration
	// ConnectTimeout bounds each connection attempt and TLS handshake
	// (DefaultConnectTimeout, and never more than Timeout).
	ConnectTimeout time.Duration
	// MaxResponseBytes is the body limit when a call names none
	// (DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// MaxRedirects is how many redirects a call follows (DefaultMaxRedirects);
	// a negative value follows none.
	MaxRedirects int
	// Resolver looks up host names (net.DefaultResolver).
	Resolver Resolver
	// Dial, for tests, replaces the connect step. It only ever receives
	// addresses that passed the checks.
	Dial DialFunc
	// RootCAs, for tests, replaces the system's trusted roots.
	RootCAs *x509.CertPool
}

// Client sends requests to other servers under the package's rules. It is
// safe for concurrent use; make one per process.
type Client struct {
	hc             http.Client
	transport      *http.Transport
	userAgent      string
	allowPrivate   bool
	timeout        time.Duration
	connectTimeout time.Duration
	maxBytes       int64
	maxRedirects   int
	resolver       Resolver
	dial           DialFunc
	dialer         *net.Dialer
}

// UserAgent builds the User-Agent header for an instance reached at baseURL,
// for example "Roost/1.2.0 (+https://roost.example/)".
func UserAgent(version, baseURL string) string {
	name := "Roost"
	if version != "" {
		name += "/" + strings.TrimPrefix(version, "v")
	}
	return name + " (+" + strings.TrimSuffix(baseURL, "/") + "/)"
}

// New returns a Client configured by o.
func New(o Options) *Client {
	c := &Client{
		userAgent:      o.UserAgent,
		allowPrivate:   o.AllowPrivate,
		connectTimeout: pick(o.ConnectTimeout, DefaultConnectTimeout),
		maxBytes:       pick(o.MaxResponseBytes, DefaultMaxResponseBytes),
		maxRedirects:   pick(o.MaxRedirects, DefaultMaxRedirects),
		resolver:       o.Resolver,
		dial:           o.Dial,
	}
	c.timeout = pick(o.Timeout, DefaultTimeout)
	c.connectTimeout = min(c.connectTimeout, c.timeout)
	if c.userAgent == "" {
		c.userAgent = "Roost"
	}
	if o.MaxRedirects < 0 {
		c.maxRedirects = 0
	}
	if c.resolver == nil {
		c.resolver = net.DefaultResolver
	}
	c.dialer = &net.Dialer{Timeout: c.connectTimeout, KeepAlive: 30 * time.Second, Control: c.control}
	c.transport = &http.Transport{
		Proxy:                  nil, // a proxy would resolve names where the checks cannot see
		DialContext:            c.dialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: o.RootCAs},
		TLSHandshakeTimeout:    c.connectTimeout,
		ResponseHeaderTimeout:  c.timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
	}
	// The overall timeout is a context deadline set per call rather than
	// http.Client.Timeout; see limitedBody for why.
	c.hc = http.Client{Transport: c.transport}
	return c
}

func pick[T int | int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Call holds settings for one request.
type Call struct {
	// MaxBytes limits the response body; zero or less means the client's
	// MaxResponseBytes.
	MaxBytes int64
	// Sign, when set, signs the request in place before it is sent, and
	// again before each redirect is followed, with that hop's request.
	Sign func(*http.Request) error
}

// Do sends req with the client's defaults; see DoCall.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	return c.DoCall(req, Call{})
}

// DoCall sends req under the package's rules. The User-Agent is the
// client's whatever req says. On success the response body is limited to
// call.MaxBytes: reading past it fails with ErrTooLarge, even when the
// status line has already been seen, so a caller can still act on a 410
// with a huge body. The caller must close the body. req itself is not
// modified; its body is closed, as http.Client does, even on error.
func (c *Client) DoCall(req *http.Request, call Call) (*http.Response, error) {
	if err := c.checkURL(req.URL, nil); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("outbound: %s %s: %w", req.Method, redactURL(req.URL.String()), err)
	}
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	req = req.Clone(ctx)
	c.prepare(req)
	if call.Sign != nil {
		if err := call.Sign(req); err != nil {
			cancel()
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, fmt.Errorf("outbound: sign: %w", err)
		}
	}
	hc := c.hc
	hc.CheckRedirect = c.checkRedirect(call.Sign)
	resp, err := hc.Do(req)
	if err != nil {
		cancel()
		return nil, redact(err)
	}
	body := &limitedBody{rc: resp.Body, left: pick(call.MaxBytes, c.maxBytes), ctx: ctx, cancel: cancel}
	if resp.ContentLength > body.left {
		body.err = ErrTooLarge // fail before reading what cannot fit
	}
	resp.Body = body
	return resp, nil
}

// CloseIdleConnections closes kept-alive connections, for shutdown and tests.
func (c *Client) CloseIdleConnections() { c.transport.CloseIdleConnections() }
