package mastoapi

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// appJSON is the CredentialApplication returned by POST /api/v1/apps.
type appJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Website      *string  `json:"website"`
	Scopes       []string `json:"scopes"`
	RedirectURI  string   `json:"redirect_uri"`
	RedirectURIs []string `json:"redirect_uris"`
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
}

type tokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

type errorJSON struct {
	Error   string                         `json:"error"`
	Desc    string                         `json:"error_description"`
	Details map[string][]map[string]string `json:"details"`
}

const callback = "https://app.example/callback"

// newApp registers an app over HTTP.
func (e *testEnv) newApp(t testing.TB, scopes string) appJSON {
	t.Helper()
	code, _, body := e.do(t, "POST", "/api/v1/apps", "", map[string]any{
		"client_name": "Test App", "redirect_uris": callback + "\n" + "urn:ietf:wg:oauth:2.0:oob",
		"scopes": scopes, "website": "https://app.example",
	})
	wantStatus(t, code, 200, body)
	return decode[appJSON](t, body)
}

// grant posts to /oauth/token.
func (e *testEnv) grant(t testing.TB, form url.Values) (int, []byte) {
	t.Helper()
	code, h, body := e.do(t, "POST", "/oauth/token", "", form)
	if code == 200 && h.Get("Cache-Control") != "no-store" {
		t.Errorf("token response is cacheable: %q", h.Get("Cache-Control"))
	}
	return code, body
}

// appToken returns a client_credentials token of a fresh app with scopes.
func (e *testEnv) appToken(t testing.TB, scopes string) string {
	t.Helper()
	app := e.newApp(t, scopes)
	code, body := e.grant(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {scopes}})
	wantStatus(t, code, 200, body)
	return decode[tokenJSON](t, body).AccessToken
}

func TestCreateApp(t *testing.T) {
	e := newTestEnv(t)
	app := e.newApp(t, "read write:statuses follow")
	if app.ClientID == "" || len(app.ClientSecret) < 43 || app.Name != "Test App" {
		t.Errorf("app = %+v", app)
	}
	if strings.Join(app.Scopes, " ") != "read write:statuses follow" || len(app.RedirectURIs) != 2 ||
		app.RedirectURI != callback+"\nurn:ietf:wg:oauth:2.0:oob" {
		t.Errorf("app = %+v", app)
	}
	// A form with an array of redirect URIs works too.
	code, _, body := e.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"Form"}, "redirect_uris[]": {callback}})
	wantStatus(t, code, 200, body)
	if a := decode[appJSON](t, body); len(a.RedirectURIs) != 1 || strings.Join(a.Scopes, " ") != "read" {
		t.Errorf("form app = %+v", a)
	}

	for _, tt := range []struct {
		body any
		code int
	}{
		{map[string]any{"client_name": "x", "redirect_uris": "not a uri"}, 422},
		{map[string]any{"client_name": "", "redirect_uris": callback}, 422},
		{map[string]any{"client_name": "x", "redirect_uris": callback, "scopes": "read superpowers"}, 422},
		{`{"client_name": "x", `, 400},
		{`["client_name"]`, 400},
	} {
		code, _, body := e.do(t, "POST", "/api/v1/apps", "", tt.body)
		wantStatus(t, code, tt.code, body)
	}

	tok := e.appToken(t, "read")
	code, _, body = e.do(t, "GET", "/api/v1/apps/verify_credentials", tok, nil)
	wantStatus(t, code, 200, body)
	if a := decode[appJSON](t, body); a.Name != "Test App" || a.ClientSecret != "" || a.ClientID != "" {
		t.Errorf("verify_credentials shows %+v", a)
	}
	code, _, body = e.do(t, "GET", "/api/v1/apps/verify_credentials", "bogus", nil)
	wantStatus(t, code, 401, body)
	code, _, body = e.do(t, "GET", "/api/v1/apps/verify_credentials", "", nil)
	wantStatus(t, code, 401, body)
}

func TestOversizedBody(t *testing.T) {
	e := newTestEnv(t)
	big := `{"client_name": "` + strings.Repeat("x", 70<<10) + `", "redirect_uris": "` + callback + `"}`
	code, _, body := e.do(t, "POST", "/api/v1/apps", "", big)
	wantStatus(t, code, 413, body)
	_, tok := e.user(t, "alice", "write")
	form := url.Values{"note": {strings.Repeat("y", 70<<10)}}
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, form)
	wantStatus(t, code, 413, body)
}

func TestPasswordAndClientGrants(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	app := e.newApp(t, "read write follow")
	form := url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
		"username": {"alice"}, "password": {"password-alice"}, "scope": {"read write"}}
	code, body := e.grant(t, form)
	wantStatus(t, code, 200, body)
	tok := decode[tokenJSON](t, body)
	if tok.TokenType != "Bearer" || tok.Scope != "read write" || len(tok.AccessToken) < 43 || tok.CreatedAt == 0 {
		t.Errorf("token = %+v", tok)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil)
	wantStatus(t, code, 200, body)

	// HTTP Basic client authentication, and JSON bodies.
	req, _ := http.NewRequest("POST", e.srv.URL+"/oauth/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(url.QueryEscape(app.ClientID), url.QueryEscape(app.ClientSecret))
	code, _, body = e.send(t, req)
	wantStatus(t, code, 200, body)
	appTok := decode[tokenJSON](t, body).AccessToken
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", appTok, nil)
	wantStatus(t, code, 422, body) // an app token has no user

	for _, tt := range []struct {
		name string
		edit func(url.Values)
		code int
		err  string
	}{
		{"wrong password", func(v url.Values) { v.Set("password", "nope") }, 400, "invalid_grant"},
		{"unknown user", func(v url.Values) { v.Set("username", "nobody") }, 400, "invalid_grant"},
		{"wrong secret", func(v url.Values) { v.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"no client", func(v url.Values) { v.Del("client_id") }, 401, "invalid_client"},
		{"scope beyond the app", func(v url.Values) { v.Set("scope", "push") }, 400, "invalid_scope"},
		{"unknown grant", func(v url.Values) { v.Set("grant_type", "implicit") }, 400, "unsupported_grant_type"},
		{"no grant", func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request"},
	} {
		v := url.Values{}
		for k, vs := range form {
			v[k] = append([]string(nil), vs...)
		}
		tt.edit(v)
		code, body := e.grant(t, v)
		if code != tt.code || decode[errorJSON](t, body).Error != tt.err {
			t.Errorf("%s: %d %s, want %d %s", tt.name, code, body, tt.code, tt.err)
		}
	}

	// Five failures lock the account for a while: 429, even with the
	// right password.
	bad := url.Values{}
	for k, vs := range form {
		bad[k] = vs
	}
	bad.Set("password", "wrong")
	for range 4 {
		e.grant(t, bad)
	}
	code, body = e.grant(t, form)
	wantStatus(t, code, 429, body)
}

func TestRevokeEndpoint(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	app := e.newApp(t, "read")
	code, body := e.grant(t, url.Values{"grant_type": {"password"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "username": {"alice"}, "password": {"password-alice"}})
	wantStatus(t, code, 200, body)
	tok := decode[tokenJSON](t, body).AccessToken

	other := e.newApp(t, "read")
	code, _, body = e.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {other.ClientID}, "client_secret": {other.ClientSecret}, "token": {tok}})
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {"nope"}, "token": {tok}})
	wantStatus(t, code, 401, body)
	code, _, body = e.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok}})
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 401, body)
	code, _, body = e.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {"unknown"}})
	wantStatus(t, code, 200, body)
}

func TestOAuthMetadata(t *testing.T) {
	e := newTestEnv(t)
	code, _, body := e.do(t, "GET", "/.well-known/oauth-authorization-server", "", nil)
	wantStatus(t, code, 200, body)
	m := decode[map[string]any](t, body)
	if m["issuer"] != "https://roost.test/" || m["token_endpoint"] != "https://roost.test/oauth/token" {
		t.Errorf("metadata = %v", m)
	}
	if s := m["code_challenge_methods_supported"].([]any); len(s) != 1 || s[0] != "S256" {
		t.Errorf("PKCE methods = %v", s)
	}
}

// browser is a cookie-keeping client for the HTML sign-in flow.
type browser struct {
	e      *testEnv
	cookie *http.Cookie
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// open loads the authorize page and returns its status, CSRF token and HTML.
func (b *browser) open(t *testing.T, q url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+"/oauth/authorize?"+q.Encode(), nil)
	code, h, body := b.e.send(t, req)
	if code == 200 {
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("CSP = %q", csp)
		}
		b.keep(t, h)
	}
	m := csrfField.FindStringSubmatch(string(body))
	if m == nil {
		return code, "", string(body)
	}
	return code, html.UnescapeString(m[1]), string(body)
}

// keep remembers the CSRF cookie a page sets.
func (b *browser) keep(t *testing.T, h http.Header) {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == csrfCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || !c.Secure {
				t.Errorf("CSRF cookie %+v", c)
			}
			b.cookie = c
		}
	}
}

// submit posts the sign-in form.
func (b *browser) submit(t *testing.T, form url.Values) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", b.e.srv.URL+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.cookie != nil {
		req.AddCookie(&http.Cookie{Name: b.cookie.Name, Value: b.cookie.Value})
	}
	code, h, body := b.e.send(t, req)
	b.keep(t, h)
	return code, h, string(body)
}

func TestAuthorizationCodeFlowThroughPages(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	app := e.newApp(t, "read write follow")
	verifier := strings.Repeat("v3rifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {callback}, "response_type": {"code"},
		"scope": {"read write"}, "state": {"xyz"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	b := &browser{e: e}
	code, csrf, page := b.open(t, q)
	if code != 200 || csrf == "" || !strings.Contains(page, "Test App") || !strings.Contains(page, `method="post"`) {
		t.Fatalf("authorize page %d:\n%s", code, page)
	}
	form := url.Values{"csrf": {csrf}, "decision": {"approve"}, "username": {"alice"}, "password": {"wrong"}}
	for k, v := range q {
		form[k] = v
	}
	code, _, page = b.submit(t, form)
	if code != 401 || !strings.Contains(page, "Invalid username") {
		t.Fatalf("wrong password: %d\n%s", code, page)
	}
	if strings.Contains(page, "wrong") && strings.Contains(page, `value="wrong"`) {
		t.Error("the password was echoed back into the page")
	}
	form.Set("csrf", csrfField.FindStringSubmatch(page)[1])
	form.Set("password", "password-alice")

	nocookie := &browser{e: e}
	if code, _, _ := nocookie.submit(t, form); code != 403 {
		t.Errorf("form without the CSRF cookie: %d", code)
	}
	forged := url.Values{}
	for k, v := range form {
		forged[k] = v
	}
	forged.Set("csrf", "123.abc")
	if code, _, _ := b.submit(t, forged); code != 403 {
		t.Errorf("forged CSRF token: %d", code)
	}

	code, h, _ := b.submit(t, form)
	if code != http.StatusFound {
		t.Fatalf("approve: %d", code)
	}
	loc, err := url.Parse(h.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), callback+"?") || loc.Query().Get("state") != "xyz" {
		t.Fatalf("redirect to %q", h.Get("Location"))
	}
	authCode := loc.Query().Get("code")
	if strings.Contains(loc.String(), "password") {
		t.Error("the redirect carries the password")
	}

	exchange := url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
		"code": {authCode}, "redirect_uri": {callback}, "code_verifier": {verifier + "x"}}
	code, body := e.grant(t, exchange)
	wantStatus(t, code, 400, body)
	// The failed attempt used the code up; authorize again.
	code, h, _ = b.submit(t, form)
	loc, _ = url.Parse(h.Get("Location"))
	exchange.Set("code", loc.Query().Get("code"))
	exchange.Set("code_verifier", verifier)
	code, body = e.grant(t, exchange)
	wantStatus(t, code, 200, body)
	tok := decode[tokenJSON](t, body)
	if tok.Scope != "read write" {
		t.Errorf("scope %q", tok.Scope)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil)
	wantStatus(t, code, 200, body)
	code, body = e.grant(t, exchange)
	wantStatus(t, code, 400, body) // single use
}

func TestAuthorizePageErrors(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	app := e.newApp(t, "read")
	base := url.Values{"client_id": {app.ClientID}, "redirect_uri": {callback}, "response_type": {"code"}, "state": {"s1"}}
	b := &browser{e: e}

	bad := url.Values{"client_id": {"nope"}, "redirect_uri": {callback}, "response_type": {"code"}}
	if code, _, page := b.open(t, bad); code != 400 || !strings.Contains(page, "Client authentication failed") {
		t.Errorf("unknown client: %d", code)
	}
	evil := url.Values{"client_id": {app.ClientID}, "redirect_uri": {"https://evil.example/"}, "response_type": {"code"}}
	if code, _, _ := b.open(t, evil); code != 400 {
		t.Errorf("unregistered redirect: %d, want an error page, never a redirect", code)
	}
	wide := url.Values{}
	for k, v := range base {
		wide[k] = v
	}
	wide.Set("scope", "write")
	req, _ := http.NewRequest("GET", e.srv.URL+"/oauth/authorize?"+wide.Encode(), nil)
	code, h, _ := e.send(t, req)
	loc, _ := url.Parse(h.Get("Location"))
	if code != 302 || loc.Query().Get("error") != "invalid_scope" || loc.Query().Get("state") != "s1" {
		t.Errorf("scope beyond the app: %d %q", code, h.Get("Location"))
	}

	// Deny.
	code, csrf, _ := b.open(t, base)
	if code != 200 {
		t.Fatal(code)
	}
	form := url.Values{"csrf": {csrf}, "decision": {"deny"}}
	for k, v := range base {
		form[k] = v
	}
	code, h, _ = b.submit(t, form)
	loc, _ = url.Parse(h.Get("Location"))
	if code != 302 || loc.Query().Get("error") != "access_denied" || loc.Query().Get("code") != "" {
		t.Errorf("deny: %d %q", code, h.Get("Location"))
	}

	// Out of band: the code is shown, not sent.
	oob := url.Values{}
	for k, v := range base {
		oob[k] = v
	}
	oob.Set("redirect_uri", "urn:ietf:wg:oauth:2.0:oob")
	_, csrf, _ = b.open(t, oob)
	form = url.Values{"csrf": {csrf}, "decision": {"approve"}, "username": {"alice"}, "password": {"password-alice"}}
	for k, v := range oob {
		form[k] = v
	}
	code, h, page := b.submit(t, form)
	m := regexp.MustCompile(`class="code" type="text" readonly value="([^"]+)"`).FindStringSubmatch(page)
	if code != 200 || m == nil || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("oob: %d\n%s", code, page)
	}
	code, body := e.grant(t, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "code": {m[1]}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}})
	wantStatus(t, code, 200, body)
}

func TestStylesheet(t *testing.T) {
	e := newTestEnv(t)
	req, _ := http.NewRequest("GET", e.srv.URL+"/oauth/style.css", nil)
	code, h, body := e.send(t, req)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || len(body) == 0 {
		t.Errorf("stylesheet: %d %q", code, h.Get("Content-Type"))
	}
}
