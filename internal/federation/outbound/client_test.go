package outbound_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/outbound"
)

// route is the test servers' handler.
func route(e *env, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch p := r.URL.Path; {
	case p == "/redirect":
		code, _ := strconv.Atoi(q.Get("code"))
		if code == 0 {
			code = http.StatusFound
		}
		http.Redirect(w, r, q.Get("to"), code)
	case strings.HasPrefix(p, "/hop/"):
		n, _ := strconv.Atoi(strings.TrimPrefix(p, "/hop/"))
		if n > 0 {
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		writeJSON(w, `{"hops":"done"}`)
	case p == "/method":
		body, _ := io.ReadAll(r.Body)
		writeJSON(w, `{"method":"`+r.Method+`","body":"`+string(body)+`"}`)
	case p == "/setcookie":
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "tracking"})
		http.Redirect(w, r, "/echo", http.StatusFound)
	case p == "/big":
		n, _ := strconv.Atoi(q.Get("n"))
		if status, _ := strconv.Atoi(q.Get("status")); status != 0 {
			w.WriteHeader(status)
		}
		body := bytes.Repeat([]byte("a"), n)
		if q.Get("chunked") != "" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body[:n/2])
			w.(http.Flusher).Flush()
			_, _ = w.Write(body[n/2:])
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		writeJSON(w, string(body))
	case strings.HasPrefix(p, "/status/"):
		code, _ := strconv.Atoi(strings.TrimPrefix(p, "/status/"))
		w.Header().Set("Retry-After", "120")
		w.Header().Set("Content-Type", "application/activity+json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"error":"x"}`))
	case p == "/type":
		w.Header().Set("Content-Type", q.Get("ct"))
		_, _ = w.Write([]byte(`{"typed":true}`))
	case p == "/gzip":
		n, _ := strconv.Atoi(q.Get("n"))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		if n == 0 {
			_, _ = zw.Write([]byte(`{"zipped":true}`))
		} else {
			zeros := make([]byte, 1<<20)
			for i := 0; i < n; i++ {
				if _, err := zw.Write(zeros); err != nil {
					return // the client hung up, as it should
				}
			}
		}
		_ = zw.Close()
	case strings.HasPrefix(p, "/sleep"):
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	case p == "/trickle":
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	default:
		writeJSON(w, `{"path":"`+p+`"}`)
	}
}

func get(t *testing.T, c *outbound.Client, url string) ([]byte, error) {
	t.Helper()
	body, _, err := c.GetJSON(context.Background(), url, "", 0)
	return body, err
}

func TestPublicNameIsDialledByCheckedIP(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	body, err := get(t, c, "https://pub.example.com/users/alice")
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"path":"/users/alice"}` {
		t.Errorf("body = %s", body)
	}
	if got := e.dials(); len(got) != 1 || got[0] != "1.2.3.4:443" {
		t.Errorf("dialled %v, want only the resolved IP 1.2.3.4:443", got)
	}
	if got := e.hosts["/users/alice"]; got[0] != "pub.example.com" || got[1] != "pub.example.com" {
		t.Errorf("Host, SNI = %v, want the name for both", got)
	}
	if _, err := get(t, c, "https://v6.example.com:8443/x"); err != nil {
		t.Errorf("public IPv6 on another port: %v", err)
	}
	if got := e.dials(); got[len(got)-1] != "[2606:4700::1111]:8443" {
		t.Errorf("dialled %v", got)
	}
}

func TestRefusesNonPublicDestinations(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	for _, u := range []string{
		"https://127.0.0.1/secret",
		"https://127.1.2.3/secret",
		"https://[::1]/secret",
		"https://[::ffff:127.0.0.1]/secret",
		"https://[::ffff:a00:1]/secret",
		"https://10.0.0.1/secret",
		"https://172.16.5.4/secret",
		"https://192.168.0.1/secret",
		"https://169.254.169.254/secret",
		"https://100.64.0.1/secret",
		"https://0.0.0.0/secret",
		"https://[::]/secret",
		"https://[fe80::1%25eth0]/secret",
		"https://[fd00::1]/secret",
		"https://[fec0::1]/secret",
		"https://224.0.0.1/secret",
		"https://255.255.255.255/secret",
		"https://192.0.2.1/secret",
		"https://198.18.0.1/secret",
		"https://[2001:db8::1]/secret",
		"https://[64:ff9b::7f00:1]/secret",
		"https://[2002:c0a8:101::]/secret",
		"https://loop.example.com/secret",
		"https://mapped.example.com/secret",
		"https://internal.example.com/secret",
		"https://meta.example.com/secret",
		"https://ula.example.com/secret",
		"https://nat64.example.com/secret",
		"https://localhost/secret",
		"https://mixed.example.com/secret",  // one public, one private address
		"https://mixed6.example.com/secret", // one public, one link-local
	} {
		_, err := get(t, c, u)
		if !errors.Is(err, outbound.ErrBlocked) {
			t.Errorf("GET %s: err = %v, want ErrBlocked", u, err)
		}
		var be *outbound.BlockedError
		if !errors.As(err, &be) || be.Reason == "" || !be.Addr.IsValid() {
			t.Errorf("GET %s: want a *BlockedError with reason and address, got %#v", u, be)
		}
	}
	if n := e.hitCount("/secret"); n != 0 {
		t.Errorf("a refused destination was reached %d times", n)
	}
	if d := e.dials(); len(d) != 0 {
		t.Errorf("dialled %v; refused hosts must not be dialled at all", d)
	}
}

func TestResolverFailure(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	_, err := get(t, c, "https://nx.example.com/")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || errors.Is(err, outbound.ErrBlocked) {
		t.Errorf("err = %v, want the DNS error", err)
	}
	if len(e.dials()) != 0 {
		t.Error("dialled after a failed lookup")
	}
}

func TestRedirectToPrivateRefused(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	for _, to := range []string{
		"https://internal.example.com/secret",
		"https://loop.example.com/secret",
		"https://mixed.example.com/secret",
		"https://127.0.0.1/secret",
		"https://[::ffff:10.0.0.1]/secret",
		"https://169.254.169.254/secret",
		"/secret?via=relative", // same host: allowed, a positive control below
	} {
		code := http.StatusFound
		if strings.HasPrefix(to, "https://1") {
			code = http.StatusPermanentRedirect
		}
		u := fmt.Sprintf("https://pub.example.com/redirect?code=%d&to=%s", code, to)
		_, err := get(t, c, u)
		if strings.HasPrefix(to, "/") {
			if err != nil {
				t.Errorf("redirect to %s on the same public host: %v", to, err)
			}
			continue
		}
		if !errors.Is(err, outbound.ErrBlocked) {
			t.Errorf("redirect to %s: err = %v, want ErrBlocked", to, err)
		}
	}
	if n := e.hitCount("/redirect"); n != 7 {
		t.Errorf("first hops = %d, want 7: the first hop is allowed", n)
	}
	if n := e.hitCount("/secret"); n != 1 {
		t.Errorf("/secret reached %d times, want only the same-host control", n)
	}
	for _, d := range e.dials() {
		if d != "1.2.3.4:443" {
			t.Errorf("dialled %s", d)
		}
	}
}

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	_, c := newEnv(t, route, nil)
	if _, err := get(t, c, "https://pub.example.com/hop/3"); err != nil {
		t.Errorf("3 redirects with the default limit: %v", err)
	}
	if _, err := get(t, c, "https://pub.example.com/hop/4"); !errors.Is(err, outbound.ErrTooManyRedirects) {
		t.Errorf("4 redirects: err = %v, want ErrTooManyRedirects", err)
	}
	_, none := newEnv(t, route, func(o *outbound.Options) { o.MaxRedirects = -1 })
	if _, err := get(t, none, "https://pub.example.com/hop/0"); err != nil {
		t.Errorf("no redirect: %v", err)
	}
	if _, err := get(t, none, "https://pub.example.com/hop/1"); !errors.Is(err, outbound.ErrTooManyRedirects) {
		t.Errorf("MaxRedirects -1, one redirect: err = %v", err)
	}
}

func TestSchemes(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	for _, u := range []string{"http://pub.example.com/ok", "file:///etc/passwd", "ftp://pub.example.com/", "gopher://pub.example.com/", "javascript:alert(1)"} {
		if _, err := get(t, c, u); !errors.Is(err, outbound.ErrScheme) {
			t.Errorf("GET %s: err = %v, want ErrScheme", u, err)
		}
	}
	for _, u := range []string{
		"https:///nohost",
		"https://user:pw@pub.example.com/",
		"https://pub.example.com/%zz",
		"https://2130706433/",
		"https://0177.0.0.1/",
		"https://0x7f.1/",
		"https://127.1/",
		"https://10.1./",
	} {
		if _, err := get(t, c, u); !errors.Is(err, outbound.ErrURL) {
			t.Errorf("GET %s: err = %v, want ErrURL", u, err)
		}
	}
	for _, to := range []string{"file:///etc/passwd", "ftp://pub.example.com/ok", "http://pub.example.com/ok"} {
		_, err := get(t, c, "https://pub.example.com/redirect?to="+to)
		if !errors.Is(err, outbound.ErrScheme) && !errors.Is(err, outbound.ErrDowngrade) {
			t.Errorf("redirect to %s: err = %v", to, err)
		}
	}
	if n := e.hitCount("/ok"); n != 0 {
		t.Errorf("/ok reached %d times", n)
	}
}

func TestDowngradeRefusedEvenInDevelopment(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, func(o *outbound.Options) { o.AllowPrivate = true })
	// Positive control: in development plain http works.
	if _, err := get(t, c, "http://pub.example.com/ok"); err != nil {
		t.Fatalf("http in development: %v", err)
	}
	_, err := get(t, c, "https://pub.example.com/redirect?to=http://pub.example.com/ok")
	if !errors.Is(err, outbound.ErrDowngrade) {
		t.Errorf("https to http: err = %v, want ErrDowngrade", err)
	}
	if n := e.hitCount("/ok"); n != 1 {
		t.Errorf("/ok reached %d times, want only the control", n)
	}
	// http to https is an upgrade and fine.
	if _, err := get(t, c, "http://pub.example.com/redirect?to=https://pub.example.com/ok"); err != nil {
		t.Errorf("http to https: %v", err)
	}
}

func TestAllowPrivateOverRealSockets(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t, route, nil)
	dev := outbound.New(outbound.Options{UserAgent: testUA, AllowPrivate: true})
	defer dev.CloseIdleConnections()
	if _, err := get(t, dev, e.plain.URL+"/dev"); err != nil {
		t.Fatalf("development client to %s: %v", e.plain.URL, err)
	}
	prod := outbound.New(outbound.Options{UserAgent: testUA, RootCAs: nil})
	defer prod.CloseIdleConnections()
	if _, err := get(t, prod, e.plain.URL+"/prod"); !errors.Is(err, outbound.ErrScheme) {
		t.Errorf("production client over http: err = %v, want ErrScheme", err)
	}
	if _, err := get(t, prod, e.tls.URL+"/prod"); !errors.Is(err, outbound.ErrBlocked) {
		t.Errorf("production client to loopback: err = %v, want ErrBlocked", err)
	}
	if n := e.hitCount("/prod"); n != 0 {
		t.Errorf("production client reached loopback %d times", n)
	}
}

func TestSizeLimit(t *testing.T) {
	t.Parallel()
	_, c := newEnv(t, route, nil)
	ctx := context.Background()
	for _, chunked := range []string{"", "1"} {
		u := "https://pub.example.com/big?chunked=" + chunked + "&n="
		body, _, err := c.GetJSON(ctx, u+"1000", "", 1000)
		if err != nil || len(body) != 1000 {
			t.Errorf("chunked=%q: body at the limit: %d bytes, %v", chunked, len(body), err)
		}
		body, _, err = c.GetJSON(ctx, u+"1001", "", 1000)
		if !errors.Is(err, outbound.ErrTooLarge) || body != nil {
			t.Errorf("chunked=%q: one byte over: %d bytes, err %v, want ErrTooLarge and no body", chunked, len(body), err)
		}
		body, _, err = c.GetJSON(ctx, u+strconv.Itoa(3<<20), "", 0)
		if !errors.Is(err, outbound.ErrTooLarge) || body != nil {
			t.Errorf("chunked=%q: 3 MiB with the 1 MiB default: err %v", chunked, err)
		}
	}
	// Do shows the status even when the body is too large to read.
	req, _ := http.NewRequest(http.MethodPost, "https://pub.example.com/big?status=410&n=5000", strings.NewReader("{}"))
	resp, err := c.DoCall(req, outbound.Call{MaxBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Errorf("status = %d, want 410", resp.StatusCode)
	}
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, outbound.ErrTooLarge) {
		t.Errorf("reading the 410 body: %v, want ErrTooLarge", err)
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	req, _ := http.NewRequest(http.MethodGet, "https://pub.example.com/gzip", nil)
	req.Header.Set("Accept-Encoding", "br") // the client decides, not the caller
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != `{"zipped":true}` {
		t.Errorf("gzip body = %q, %v", body, err)
	}
	if got := e.headers("/gzip")[0].Get("Accept-Encoding"); got != "gzip" {
		t.Errorf("Accept-Encoding = %q, want gzip", got)
	}

	// A bomb: 64 MiB of zeros, about 64 KiB on the wire, against a 1 MiB limit.
	start := time.Now()
	_, _, err = c.GetJSON(context.Background(), "https://pub.example.com/gzip?n=64", "", 1<<20)
	if !errors.Is(err, outbound.ErrTooLarge) {
		t.Errorf("gzip bomb: err = %v, want ErrTooLarge", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gzip bomb took %v", d)
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	_, c := newEnv(t, route, func(o *outbound.Options) { o.Timeout = 300 * time.Millisecond })
	// The trickle runs thrice: net/http sometimes ends a cancelled TLS body
	// with a plain EOF, which the client must not pass off as a whole body.
	for _, path := range []string{"/sleep", "/trickle", "/trickle", "/trickle"} {
		start := time.Now()
		_, err := get(t, c, "https://pub.example.com"+path)
		var ne net.Error
		if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%s: err = %v, want a timeout (after %v)", path, err, time.Since(start))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v with a 300ms timeout", path, d)
		}
	}

	// A connect that hangs is cut by ConnectTimeout, well inside Timeout.
	_, slow := newEnv(t, route, func(o *outbound.Options) {
		o.ConnectTimeout = 200 * time.Millisecond
		o.Dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}
	})
	start := time.Now()
	if _, err := get(t, slow, "https://pub.example.com/ok"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hanging connect: err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("hanging connect took %v", d)
	}
}

func TestUserAgentAndNoCookies(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	req, _ := http.NewRequest(http.MethodGet, "https://pub.example.com/setcookie", nil)
	req.Header.Set("User-Agent", "alice@roost.example on her phone")
	req.Header.Set("Cookie", "mine=1")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if req.Header.Get("User-Agent") != "alice@roost.example on her phone" {
		t.Error("Do modified the caller's request")
	}
	for _, path := range []string{"/setcookie", "/echo"} {
		hs := e.headers(path)
		if len(hs) != 1 {
			t.Fatalf("%s seen %d times", path, len(hs))
		}
		if got := hs[0].Get("User-Agent"); got != testUA {
			t.Errorf("%s: User-Agent = %q, want %q", path, got, testUA)
		}
		if got := hs[0].Get("Cookie"); got != "" {
			t.Errorf("%s: Cookie = %q, want none", path, got)
		}
	}
	if got := outbound.UserAgent("v1.2.0", "https://roost.example"); got != "Roost/1.2.0 (+https://roost.example/)" {
		t.Errorf("UserAgent = %q", got)
	}
	if got := outbound.UserAgent("", "http://localhost:8080/"); got != "Roost (+http://localhost:8080/)" {
		t.Errorf("UserAgent = %q", got)
	}
}

func TestSignaturesPerHop(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	sign := func(r *http.Request) error {
		r.Header.Set("Signature", "sig:"+r.URL.Host+r.URL.Path)
		return nil
	}
	to := "https://pub2.example.com/signed"
	req, _ := http.NewRequest(http.MethodGet, "https://pub.example.com/redirect?to="+to, nil)
	resp, err := c.DoCall(req, outbound.Call{Sign: sign})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := e.headers("/redirect")[0].Get("Signature"); got != "sig:pub.example.com/redirect" {
		t.Errorf("first hop Signature = %q", got)
	}
	if got := e.headers("/signed")[0].Get("Signature"); got != "sig:pub2.example.com/signed" {
		t.Errorf("second hop Signature = %q, want one made for it", got)
	}
	if got := e.headers("/signed")[0].Get("Referer"); got != "" {
		t.Errorf("Referer = %q, want none", got)
	}

	// Without a signer, a caller's signature does not travel to a redirect.
	to = "https://pub2.example.com/unsigned"
	req, _ = http.NewRequest(http.MethodGet, "https://pub.example.com/redirect?to="+to, nil)
	req.Header.Set("Signature", "keyId=\"x\",signature=\"y\"")
	req.Header.Set("Authorization", "Bearer z")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := e.headers("/unsigned")[0]
	if h.Get("Signature") != "" || h.Get("Authorization") != "" {
		t.Errorf("signature forwarded on redirect: %v", h)
	}

	failing := func(*http.Request) error { return errors.New("no key") }
	req, _ = http.NewRequest(http.MethodGet, "https://pub.example.com/never", nil)
	if _, err := c.DoCall(req, outbound.Call{Sign: failing}); err == nil || e.hitCount("/never") != 0 {
		t.Errorf("a failing signer must stop the request: %v", err)
	}
}

func TestGetJSONStatusAndType(t *testing.T) {
	t.Parallel()
	e, c := newEnv(t, route, nil)
	for _, code := range []int{401, 403, 404, 410, 429, 500, 503} {
		_, err := get(t, c, "https://pub.example.com/status/"+strconv.Itoa(code))
		var se *outbound.StatusError
		if !errors.As(err, &se) || se.Code != code {
			t.Errorf("status %d: err = %v", code, err)
			continue
		}
		if se.Header.Get("Retry-After") != "120" {
			t.Errorf("status %d: headers not kept", code)
		}
	}
	for _, ct := range []string{
		"application/activity+json",
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
		"application/json; charset=utf-8",
		"application/jrd+json",
	} {
		if _, err := get(t, c, "https://pub.example.com/type?ct="+url.QueryEscape(ct)); err != nil {
			t.Errorf("Content-Type %s: %v", ct, err)
		}
	}
	for _, ct := range []string{"text/html", "", "application/xml", "application/json-seq", "application/activity+json;;"} {
		if _, err := get(t, c, "https://pub.example.com/type?ct="+url.QueryEscape(ct)); !errors.Is(err, outbound.ErrNotJSON) {
			t.Errorf("Content-Type %q: err = %v, want ErrNotJSON", ct, err)
		}
	}

	_, _, err := c.GetJSON(context.Background(), "https://pub.example.com/accept", "application/jrd+json", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _ = c.GetJSON(context.Background(), "https://pub.example.com/default-accept", "", 0)
	if got := e.headers("/accept")[0].Get("Accept"); got != "application/jrd+json" {
		t.Errorf("Accept = %q", got)
	}
	if got := e.headers("/default-accept")[0].Get("Accept"); got != outbound.AcceptActivity {
		t.Errorf("default Accept = %q", got)
	}

	d, err := c.FetchJSON(context.Background(), "https://pub.example.com/redirect?to=https://pub2.example.com/final", "", outbound.Call{})
	if err != nil {
		t.Fatal(err)
	}
	if d.URL.String() != "https://pub2.example.com/final" {
		t.Errorf("Document.URL = %s, want the final URL", d.URL)
	}
}

func TestErrorsLeaveOutPathAndQuery(t *testing.T) {
	t.Parallel()
	_, c := newEnv(t, route, func(o *outbound.Options) { o.Timeout = 200 * time.Millisecond })
	for _, u := range []string{
		"https://internal.example.com/users/alice?token=s3cret",
		"https://pub.example.com/redirect?to=https://internal.example.com/users/alice?token=s3cret",
		"https://pub.example.com/sleep/users/alice?token=s3cret",
		"http://pub.example.com/users/alice?token=s3cret",
		"https://nx.example.com/users/alice?token=s3cret",
	} {
		_, err := get(t, c, u)
		if err == nil {
			t.Fatalf("GET %s succeeded", u)
		}
		if msg := err.Error(); strings.Contains(msg, "alice") || strings.Contains(msg, "s3cret") {
			t.Errorf("error names the path or query: %s", msg)
		}
	}
}

func TestRedirectMethods(t *testing.T) {
	t.Parallel()
	_, c := newEnv(t, route, nil)
	for _, tt := range []struct {
		code int
		want string
	}{
		{http.StatusSeeOther, `{"method":"GET","body":""}`},
		{http.StatusTemporaryRedirect, `{"method":"POST","body":"hello"}`},
		{http.StatusPermanentRedirect, `{"method":"POST","body":"hello"}`},
	} {
		var signed []string
		sign := func(r *http.Request) error {
			signed = append(signed, r.Method+" "+r.URL.Host+r.URL.Path)
			return nil
		}
		u := fmt.Sprintf("https://pub.example.com/redirect?code=%d&to=https://pub2.example.com/method", tt.code)
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("hello"))
		resp, err := c.DoCall(req, outbound.Call{Sign: sign})
		if err != nil {
			t.Fatalf("%d: %v", tt.code, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != tt.want {
			t.Errorf("%d: target saw %s, want %s", tt.code, body, tt.want)
		}
		wantMethod := "POST"
		if tt.code == http.StatusSeeOther {
			wantMethod = "GET"
		}
		if len(signed) != 2 || signed[1] != wantMethod+" pub2.example.com/method" {
			t.Errorf("%d: signed %v", tt.code, signed)
		}
	}
}

func TestHTTP2(t *testing.T) {
	t.Parallel()
	cert, pool := testCert(t)
	protos := make(chan string, 4)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		protos <- r.Proto
		route(nil, w, r)
	}))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()
	c := outbound.New(outbound.Options{
		UserAgent: testUA,
		Resolver:  &fakeResolver{hosts: testHosts},
		RootCAs:   pool,
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != "1.2.3.4:443" {
				return nil, fmt.Errorf("unexpected dial to %s", addr)
			}
			var d net.Dialer
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		},
	})
	defer c.CloseIdleConnections()
	if _, err := get(t, c, "https://pub.example.com/ok"); err != nil {
		t.Fatal(err)
	}
	if p := <-protos; p != "HTTP/2.0" {
		t.Errorf("protocol = %s, want HTTP/2.0", p)
	}
	if _, _, err := c.GetJSON(context.Background(), "https://pub.example.com/gzip?n=16", "", 1<<20); !errors.Is(err, outbound.ErrTooLarge) {
		t.Errorf("gzip bomb over HTTP/2: %v", err)
	}
	if _, err := get(t, c, "https://loop.example.com/ok"); !errors.Is(err, outbound.ErrBlocked) {
		t.Errorf("loopback name over HTTP/2 client: %v", err)
	}
}
