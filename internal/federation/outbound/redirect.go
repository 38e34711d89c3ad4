package outbound

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// checkURL applies the scheme and form rules to a request or redirect
// target; from is the URL being redirected from, or nil.
func (c *Client) checkURL(u, from *url.URL) error {
	switch u.Scheme {
	case "https":
	case "http":
		if from != nil && from.Scheme == "https" {
			return ErrDowngrade
		}
		if !c.allowPrivate {
			return fmt.Errorf("%w: http outside development", ErrScheme)
		}
	default:
		return fmt.Errorf("%w: %q", ErrScheme, shorten(u.Scheme))
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("%w: no host", ErrURL)
	}
	if numericName(host) {
		return fmt.Errorf("%w: numeric host that is not an IP address", ErrURL)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in URL", ErrURL)
	}
	return nil
}

// checkRedirect returns the redirect policy for one call: count, check the
// target, and sign it afresh with sign when there is one.
func (c *Client) checkRedirect(sign func(*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > c.maxRedirects {
			return ErrTooManyRedirects
		}
		if err := c.checkURL(req.URL, via[len(via)-1].URL); err != nil {
			return err
		}
		c.prepare(req)
		// A signature covers the old target; never forward it, to another
		// host least of all.
		for _, h := range []string{"Signature", "Signature-Input", "Authorization"} {
			req.Header.Del(h)
		}
		if req.Body == nil || req.Body == http.NoBody {
			req.Header.Del("Digest")
			req.Header.Del("Content-Digest")
		}
		if sign != nil {
			if err := sign(req); err != nil {
				return fmt.Errorf("outbound: sign redirect: %w", err)
			}
		}
		return nil
	}
}

// prepare sets the headers the client owns on every hop.
func (c *Client) prepare(req *http.Request) {
	req.Header.Set("User-Agent", c.userAgent)
	// Leave Accept-Encoding to the transport, which asks for gzip and
	// decompresses as the body is read, inside the size limit.
	req.Header.Del("Accept-Encoding")
	req.Header.Del("Cookie")
	// net/http sets Referer to the previous hop on redirects; the next
	// server has no business knowing it.
	req.Header.Del("Referer")
}

// redact drops the path and query from the URL inside an error from
// net/http, keeping the scheme and host.
func redact(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	return &url.Error{Op: ue.Op, URL: redactURL(ue.URL), Err: ue.Err}
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(url)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// numericName reports a host that is not a valid IP address but whose last
// label is a number, like "2130706433", "0177.0.0.1" or "0x7f.1". No real
// top-level domain is numeric, and some resolvers read such names as IPv4 in
// octal or hex, so they are refused rather than left to chance.
func numericName(host string) bool {
	if _, err := netip.ParseAddr(host); err == nil {
		return false
	}
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X") {
		return true
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

func shorten(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
