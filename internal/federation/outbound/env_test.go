package outbound_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/outbound"
)

const testUA = "Roost/0.0.0-test (+https://roost.example/)"

// fakeResolver answers from a fixed table and records the names asked.
type fakeResolver struct {
	mu    sync.Mutex
	hosts map[string][]string
	asked []string
}

func (r *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, host)
	addrs, ok := r.hosts[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, a := range addrs {
		ip, zone := a, ""
		if h, z, ok := strings.Cut(a, "%"); ok {
			ip, zone = h, z
		}
		out = append(out, net.IPAddr{IP: net.ParseIP(ip), Zone: zone})
	}
	return out, nil
}

// env is a pretend Internet: a fake resolver gives test names "public" and
// private addresses, and the dial hook connects EVERY address (private ones
// too) to the local test servers, port 80 to the plain one and any other port
// to the TLS one. So if a check were missing, a request to a private address
// would really reach a server; tests assert it never does.
type env struct {
	tls, plain *httptest.Server
	resolver   *fakeResolver

	mu     sync.Mutex
	dialed []string
	hits   map[string]int           // path -> count, both servers
	seen   map[string][]http.Header // path -> request headers
	hosts  map[string][]string      // path -> Host and TLS server name
}

var testHosts = map[string][]string{
	"pub.example.com":      {"1.2.3.4"},
	"pub2.example.com":     {"5.6.7.8"},
	"v6.example.com":       {"2606:4700::1111"},
	"internal.example.com": {"10.0.0.7"},
	"loop.example.com":     {"127.0.0.1"},
	"mapped.example.com":   {"::ffff:127.0.0.1"},
	"meta.example.com":     {"169.254.169.254"},
	"ula.example.com":      {"fd00::1"},
	"mixed.example.com":    {"5.6.7.9", "192.168.1.1"},
	"mixed6.example.com":   {"2606:4700::1", "fe80::1%eth0"},
	"nat64.example.com":    {"64:ff9b::a00:1"},
	"localhost":            {"127.0.0.1", "::1"},
}

func newEnv(t *testing.T, handler func(e *env, w http.ResponseWriter, r *http.Request), mod func(*outbound.Options)) (*env, *outbound.Client) {
	t.Helper()
	e := &env{
		resolver: &fakeResolver{hosts: testHosts},
		hits:     map[string]int{},
		seen:     map[string][]http.Header{},
		hosts:    map[string][]string{},
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hits[r.URL.Path]++
		e.seen[r.URL.Path] = append(e.seen[r.URL.Path], r.Header.Clone())
		sni := ""
		if r.TLS != nil {
			sni = r.TLS.ServerName
		}
		e.hosts[r.URL.Path] = []string{r.Host, sni}
		e.mu.Unlock()
		handler(e, w, r)
	})
	cert, pool := testCert(t)
	e.tls = httptest.NewUnstartedServer(h)
	e.tls.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	e.tls.StartTLS()
	t.Cleanup(e.tls.Close)
	e.plain = httptest.NewServer(h)
	t.Cleanup(e.plain.Close)

	o := outbound.Options{
		UserAgent: testUA,
		Resolver:  e.resolver,
		Dial:      e.dial,
		RootCAs:   pool,
	}
	if mod != nil {
		mod(&o)
	}
	c := outbound.New(o)
	t.Cleanup(c.CloseIdleConnections)
	return e, c
}

func (e *env) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	e.mu.Lock()
	e.dialed = append(e.dialed, addr)
	e.mu.Unlock()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	target := e.tls.Listener.Addr().String()
	if port == "80" {
		target = e.plain.Listener.Addr().String()
	}
	var d net.Dialer
	return d.DialContext(ctx, network, target)
}

func (e *env) hitCount(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.hits[path]
}

func (e *env) headers(path string) []http.Header {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seen[path]
}

func (e *env) dials() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.dialed...)
}

// testCert makes a self-signed certificate for *.example.com and 127.0.0.1.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "outbound test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		DNSNames:              []string{"*.example.com"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write([]byte(body))
}
