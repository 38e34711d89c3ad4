package mastoapi

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// token is POST /oauth/token: the authorization_code, password and
// client_credentials grants. The client authenticates with client_id and
// client_secret in the body or with HTTP Basic.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p := paramsOf(r)
	grant := p.String("grant_type")
	switch grant {
	case "authorization_code", "password", "client_credentials":
	case "":
		s.fail(w, r, &core.OAuthError{Code: "invalid_request", Desc: "Missing required parameter: grant_type."})
		return
	default:
		s.fail(w, r, &core.OAuthError{Code: "unsupported_grant_type", Desc: "The authorization grant type is not supported by the authorization server."})
		return
	}
	app, err := s.clientApp(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var g *core.Grant
	ctx := r.Context()
	switch grant {
	case "authorization_code":
		g, err = s.svc.ExchangeCode(ctx, app, p.String("code"), p.String("redirect_uri"), p.String("code_verifier"))
	case "password":
		g, err = s.svc.PasswordGrant(ctx, app, p.String("username"), p.String("password"), p.String("scope"))
	case "client_credentials":
		g, err = s.svc.ClientCredentialsGrant(ctx, app, p.String("scope"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeToken(w, g)
}

// clientApp authenticates the OAuth client of a token or revoke request.
func (s *Server) clientApp(r *http.Request, p *params) (*model.App, error) {
	id, secret := p.String("client_id"), p.String("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(bid)
		secret, _ = url.QueryUnescape(bsecret)
	}
	return s.svc.AppByCredentials(r.Context(), id, secret)
}

// revoke is POST /oauth/revoke (RFC 7009): an unknown token is not an
// error, another client's token is.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	p := paramsOf(r)
	app, err := s.clientApp(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.RevokeToken(r.Context(), app, p.String("token")); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// tokenEntity is Mastodon's Token entity.
type tokenEntity struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

func renderToken(g *core.Grant) tokenEntity {
	return tokenEntity{AccessToken: g.AccessToken, TokenType: "Bearer", Scope: g.Token.Scopes, CreatedAt: g.Token.CreatedAt.Unix()}
}

// writeToken sends a fresh token, which no cache may keep.
func writeToken(w http.ResponseWriter, g *core.Grant) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, renderToken(g))
}

// oauthMetadata is Mastodon's RFC 8414 authorization server metadata.
type oauthMetadata struct {
	Issuer                  string   `json:"issuer"`
	ServiceDocumentation    string   `json:"service_documentation"`
	AuthorizationEndpoint   string   `json:"authorization_endpoint"`
	TokenEndpoint           string   `json:"token_endpoint"`
	RevocationEndpoint      string   `json:"revocation_endpoint"`
	UserinfoEndpoint        string   `json:"userinfo_endpoint"`
	AppRegistrationEndpoint string   `json:"app_registration_endpoint"`
	ScopesSupported         []string `json:"scopes_supported"`
	ResponseTypes           []string `json:"response_types_supported"`
	ResponseModes           []string `json:"response_modes_supported"`
	CodeChallengeMethods    []string `json:"code_challenge_methods_supported"`
	GrantTypes              []string `json:"grant_types_supported"`
	TokenAuthMethods        []string `json:"token_endpoint_auth_methods_supported"`
}

// metadata is GET /.well-known/oauth-authorization-server.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	base := s.svc.Settings().BaseURL
	writeJSON(w, http.StatusOK, oauthMetadata{
		Issuer:                  base + "/",
		ServiceDocumentation:    "https://docs.joinmastodon.org/",
		AuthorizationEndpoint:   base + "/oauth/authorize",
		TokenEndpoint:           base + "/oauth/token",
		RevocationEndpoint:      base + "/oauth/revoke",
		UserinfoEndpoint:        base + "/oauth/userinfo",
		AppRegistrationEndpoint: base + "/api/v1/apps",
		ScopesSupported:         core.KnownScopes,
		ResponseTypes:           []string{"code"},
		ResponseModes:           []string{"query"},
		CodeChallengeMethods:    []string{"S256"},
		GrantTypes:              []string{"authorization_code", "password", "client_credentials"},
		TokenAuthMethods:        []string{"client_secret_basic", "client_secret_post"},
	})
}

// userinfo is GET /oauth/userinfo: OpenID Connect's claims about the
// signed-in user, with the profile scope.
func (s *Server) userinfo(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	acct := s.renderAccount(a.Account)
	writeJSON(w, http.StatusOK, map[string]string{
		"iss": s.svc.Settings().BaseURL + "/", "sub": acct.URI, "name": acct.DisplayName,
		"preferred_username": acct.Username, "profile": acct.URL, "picture": acct.Avatar,
	})
}

// authorizeRequest reads an authorization request from the query string
// (GET) or the form (POST).
func authorizeRequest(v url.Values) core.AuthRequest {
	return core.AuthRequest{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"),
		ResponseType: v.Get("response_type"), Scope: v.Get("scope"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method"),
	}
}

// authorizePage is GET /oauth/authorize: the sign-in and consent page.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := authorizeRequest(q)
	app, scopes, err := s.svc.CheckAuthRequest(r.Context(), req)
	if err != nil {
		s.authorizeError(w, r, req, q.Get("state"), err)
		return
	}
	csrf, err := s.newCSRF(w)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPage(w, http.StatusOK, "authorize.html", authorizeView{
		App: app.Name, Scopes: scopes, Request: req, State: q.Get("state"), CSRF: csrf,
		Instance: s.svc.Settings().Title,
	})
}

// authorizeSubmit is POST /oauth/authorize: the form of authorizePage.
func (s *Server) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		if isBodyTooLarge(err) {
			s.pageError(w, http.StatusRequestEntityTooLarge, "The form is too large.")
			return
		}
		s.pageError(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	f := r.PostForm
	if !s.checkCSRF(r, f.Get("csrf")) {
		s.pageError(w, http.StatusForbidden, "This form has expired. Go back, reload the page and try again.")
		return
	}
	req, state := authorizeRequest(f), f.Get("state")
	app, scopes, err := s.svc.CheckAuthRequest(r.Context(), req)
	if err != nil {
		s.authorizeError(w, r, req, state, err)
		return
	}
	if f.Get("decision") != "approve" {
		s.redirectBack(w, r, req.RedirectURI, url.Values{"error": {"access_denied"},
			"error_description": {"The resource owner or authorization server denied the request."}}, state)
		return
	}
	acct, u, err := s.svc.SignIn(r.Context(), f.Get("username"), f.Get("password"))
	if err == nil && u.OTPEnabled {
		err = errTwoFactor
	}
	if err != nil {
		s.signInFailed(w, r, authorizeView{App: app.Name, Scopes: scopes, Request: req, State: state,
			Instance: s.svc.Settings().Title, Username: f.Get("username")}, err)
		return
	}
	code, err := s.svc.IssueCode(r.Context(), req, acct.ID)
	if err != nil {
		s.authorizeError(w, r, req, state, err)
		return
	}
	if req.RedirectURI == core.OOBRedirect {
		s.renderPage(w, http.StatusOK, "code.html", codeView{App: app.Name, Code: code, Instance: s.svc.Settings().Title})
		return
	}
	s.redirectBack(w, r, req.RedirectURI, url.Values{"code": {code}}, state)
}

var errTwoFactor = errors.New("two-factor login is not available on the sign-in page yet")

// signInFailed shows the form again with what went wrong, never saying
// whether the username exists.
func (s *Server) signInFailed(w http.ResponseWriter, r *http.Request, v authorizeView, err error) {
	status := http.StatusUnauthorized
	switch {
	case errors.Is(err, model.ErrRateLimited):
		status, v.Error = http.StatusTooManyRequests, "Too many failed sign-in attempts. Try again in a few minutes."
	case errors.Is(err, core.ErrPendingApproval):
		status, v.Error = http.StatusForbidden, "Your account is waiting for approval by the administrators."
	case errors.Is(err, core.ErrLoginDisabled):
		status, v.Error = http.StatusForbidden, "Your login is currently disabled."
	case errors.Is(err, errTwoFactor):
		status, v.Error = http.StatusForbidden, "Your account uses two-factor login, which this page does not support yet."
	case errors.Is(err, model.ErrUnauthorized):
		v.Error = "Invalid username, email or password."
	default:
		s.fail(w, r, err)
		return
	}
	csrf, cerr := s.newCSRF(w)
	if cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	v.CSRF = csrf
	s.renderPage(w, status, "authorize.html", v)
}

// authorizeError reports a bad authorization request: on the page when
// the client or redirect URI cannot be trusted (or is out-of-band),
// otherwise back to the app's redirect URI, as RFC 6749 §4.1.2.1 says.
func (s *Server) authorizeError(w http.ResponseWriter, r *http.Request, req core.AuthRequest, state string, err error) {
	var oe *core.OAuthError
	if !errors.As(err, &oe) {
		s.fail(w, r, err)
		return
	}
	if oe == core.ErrInvalidClient || oe == core.ErrBadRedirect || req.RedirectURI == core.OOBRedirect {
		s.pageError(w, http.StatusBadRequest, oe.Desc)
		return
	}
	s.redirectBack(w, r, req.RedirectURI, url.Values{"error": {oe.Code}, "error_description": {oe.Desc}}, state)
}

// redirectBack sends the browser to the app's redirect URI with params
// (and state) added to its query.
func (s *Server) redirectBack(w http.ResponseWriter, r *http.Request, redirectURI string, params url.Values, state string) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		s.pageError(w, http.StatusBadRequest, core.ErrBadRedirect.Desc)
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// scopeLabel describes a scope on the consent page.
func scopeLabel(sc string) string {
	switch {
	case sc == "read":
		return "read all your account's data"
	case sc == "write":
		return "modify all your account's data"
	case sc == "follow":
		return "modify account relationships"
	case sc == "push":
		return "receive your push notifications"
	case sc == "profile":
		return "read only your account's profile information"
	case strings.HasPrefix(sc, "read:"):
		return "read your " + strings.ReplaceAll(sc[5:], "_", " ")
	case strings.HasPrefix(sc, "write:"):
		return "change your " + strings.ReplaceAll(sc[6:], "_", " ")
	}
	return sc
}
