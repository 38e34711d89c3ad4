package openapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
)

// checked reports whether a response is one that Transport and Handler
// validate: a JSON body on a path under /api/ or /oauth/ (or the OAuth
// discovery document) for which the schema has an operation.
func (v *Validator) checked(method, path string, header http.Header) bool {
	if method == http.MethodHead || !jsonMediaType(header.Get("Content-Type")) {
		return false
	}
	if !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/oauth/") &&
		path != "/.well-known/oauth-authorization-server" {
		return false
	}
	return v.Knows(method, path)
}

// unknownLog collects the API calls the schema has no operation for, so a
// test can say once, at its end, what went unchecked.
type unknownLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

func newUnknownLog(t testing.TB) *unknownLog {
	u := &unknownLog{seen: map[string]bool{}}
	t.Cleanup(func() {
		u.mu.Lock()
		defer u.mu.Unlock()
		if len(u.seen) == 0 {
			return
		}
		calls := make([]string, 0, len(u.seen))
		for c := range u.seen {
			calls = append(calls, c)
		}
		sort.Strings(calls)
		t.Logf("openapi: not in the Mastodon schema, not validated: %s", strings.Join(calls, ", "))
	})
	return u
}

func (u *unknownLog) note(v *Validator, method, path string) {
	if (strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/oauth/")) && !v.Knows(method, path) {
		u.mu.Lock()
		u.seen[method+" "+path] = true
		u.mu.Unlock()
	}
}

// Transport wraps base (http.DefaultTransport when nil) so that every
// response it carries is checked with CheckResponse, when checked says so;
// failures are reported on t. t must outlive every request made through the
// transport. Calls under /api/ or /oauth/ that the schema does not know are
// listed in the test log at cleanup.
func (v *Validator) Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{v: v, t: t, base: base, unknown: newUnknownLog(t)}
}

type transport struct {
	v       *Validator
	t       testing.TB
	base    http.RoundTripper
	unknown *unknownLog
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tr.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	path := req.URL.Path
	if !tr.v.checked(req.Method, path, resp.Header) {
		tr.unknown.note(tr.v, req.Method, path)
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("openapi: read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	tr.v.CheckResponse(tr.t, req.Method, path, resp.StatusCode, resp.Header, body)
	return resp, nil
}

// Handler wraps h so that every response it writes is checked with
// CheckResponse, when checked says so; failures are reported on t. Use it
// with httptest.NewServer or directly with httptest.NewRecorder.
func (v *Validator) Handler(t testing.TB, h http.Handler) http.Handler {
	unknown := newUnknownLog(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &captureWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		path := r.URL.Path
		if !v.checked(r.Method, path, w.Header()) {
			unknown.note(v, r.Method, path)
			return
		}
		v.CheckResponse(t, r.Method, path, cw.statusCode(), w.Header(), cw.body.Bytes())
	})
}

// captureWriter passes a response through while keeping a copy of its
// status and body.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) statusCode() int {
	if c.status == 0 {
		return http.StatusOK
	}
	return c.status
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *captureWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
