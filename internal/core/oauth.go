package core

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// OOBRedirect is the redirect URI that asks for the code to be shown to the
// user instead of sent to an app.
const OOBRedirect = "urn:ietf:wg:oauth:2.0:oob"

// authCodeTTL is how long an authorization code may wait to be exchanged.
const authCodeTTL = 10 * time.Minute

// tokenBytes is the entropy of tokens, codes and client secrets.
const tokenBytes = 32

// App registration limits.
const (
	maxAppNameLen     = 60
	maxAppWebsiteLen  = 2000
	maxRedirectURIs   = 10
	maxRedirectURILen = 2000
)

// OAuthError is an OAuth 2 protocol error (RFC 6749 §5.2): Code is the
// error code the client sees ("invalid_grant"), Desc its description.
type OAuthError struct {
	Code string
	Desc string
}

func (e *OAuthError) Error() string { return "oauth: " + e.Code }

// The OAuth errors Roost returns.
var (
	ErrInvalidClient      = &OAuthError{"invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}
	ErrInvalidGrant       = &OAuthError{"invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}
	ErrInvalidScope       = &OAuthError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
	ErrBadRedirect        = &OAuthError{"invalid_redirect_uri", "The redirect uri included is not valid."}
	ErrUnauthorizedClient = &OAuthError{"unauthorized_client", "You are not authorized to revoke this token"}
)

func invalidRequest(desc string) error { return &OAuthError{"invalid_request", desc} }

// ErrBadCredentials is a failed sign-in: no such user or a wrong password.
// It is model.ErrUnauthorized.
var ErrBadCredentials = fmt.Errorf("invalid login or password: %w", model.ErrUnauthorized)

// NewApp is what POST /api/v1/apps registers.
type NewApp struct {
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       string
}

// CreateApp registers an OAuth client and returns it with its client
// secret, which is shown this once and stored only as a hash.
func (s *Service) CreateApp(ctx context.Context, n NewApp) (*model.App, string, error) {
	sc, err := s.checkNewApp(&n)
	if err != nil {
		return nil, "", err
	}
	clientID, err := randomToken(tokenBytes)
	if err != nil {
		return nil, "", err
	}
	secret, err := randomToken(tokenBytes)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	app := &model.App{
		ID: model.NewID(now), Name: n.Name, Website: n.Website, RedirectURIs: n.RedirectURIs,
		Scopes: sc.String(), ClientID: clientID, ClientSecretHash: hashSecret(secret), CreatedAt: now,
	}
	if err := s.store.CreateApp(ctx, app); err != nil {
		return nil, "", fmt.Errorf("core: create app: %w", err)
	}
	return app, secret, nil
}

func (s *Service) checkNewApp(n *NewApp) (Scopes, error) {
	n.Name = strings.TrimSpace(n.Name)
	n.Website = strings.TrimSpace(n.Website)
	var errs []error
	switch {
	case n.Name == "":
		errs = append(errs, fieldErr("name", "ERR_BLANK", "can't be blank"))
	case len([]rune(n.Name)) > maxAppNameLen:
		errs = append(errs, fieldErr("name", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters)", maxAppNameLen)))
	}
	if n.Website != "" && (len(n.Website) > maxAppWebsiteLen || !webURL(n.Website)) {
		errs = append(errs, fieldErr("website", "ERR_INVALID", "is invalid"))
	}
	errs = append(errs, checkRedirectURIs(n.RedirectURIs))
	sc, ok := ValidScopes(n.Scopes)
	if !ok {
		errs = append(errs, fieldErr("scopes", "ERR_INVALID", "must be a subset of the scopes this server supports"))
	}
	return sc, joinFieldErrors(errs...)
}

func checkRedirectURIs(uris []string) error {
	if len(uris) == 0 {
		return fieldErr("redirect_uri", "ERR_BLANK", "can't be blank")
	}
	if len(uris) > maxRedirectURIs {
		return fieldErr("redirect_uri", "ERR_INVALID", "has too many entries")
	}
	for _, u := range uris {
		if !validRedirectURI(u) {
			return fieldErr("redirect_uri", "ERR_INVALID", "must be an absolute URI without a fragment")
		}
	}
	return nil
}

// validRedirectURI accepts the out-of-band URN and absolute URIs without a
// fragment: https, http (for apps on loopback), and apps' own schemes.
func validRedirectURI(s string) bool {
	if s == OOBRedirect {
		return true
	}
	if len(s) > maxRedirectURILen || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Fragment != "" || strings.Contains(s, "#") {
		return false
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		return u.Host != ""
	}
	return !strings.EqualFold(u.Scheme, "javascript") && !strings.EqualFold(u.Scheme, "data")
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// AppByCredentials authenticates an OAuth client; anything wrong is
// ErrInvalidClient.
func (s *Service) AppByCredentials(ctx context.Context, clientID, secret string) (*model.App, error) {
	if clientID == "" || secret == "" || len(clientID) > maxBearerLen || len(secret) > maxBearerLen || hasNUL(clientID) {
		return nil, ErrInvalidClient
	}
	app, err := s.store.AppByClientID(ctx, clientID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, ErrInvalidClient
	}
	if err != nil {
		return nil, fmt.Errorf("core: app credentials: %w", err)
	}
	if subtle.ConstantTimeCompare(hashSecret(secret), app.ClientSecretHash) != 1 {
		return nil, ErrInvalidClient
	}
	return app, nil
}

// AuthRequest is an authorization request (GET /oauth/authorize).
type AuthRequest struct {
	ClientID            string
	RedirectURI         string
	ResponseType        string
	Scope               string
	CodeChallenge       string
	CodeChallengeMethod string
}

// CheckAuthRequest validates an authorization request and returns the app
// and the scopes it asks for. ErrInvalidClient and ErrBadRedirect mean the
// user must be told on the page; other OAuthErrors may be sent back to the
// redirect URI.
func (s *Service) CheckAuthRequest(ctx context.Context, r AuthRequest) (*model.App, Scopes, error) {
	if r.ClientID == "" || len(r.ClientID) > maxBearerLen || hasNUL(r.ClientID) {
		return nil, nil, ErrInvalidClient
	}
	app, err := s.store.AppByClientID(ctx, r.ClientID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil, ErrInvalidClient
	}
	if err != nil {
		return nil, nil, fmt.Errorf("core: authorize: %w", err)
	}
	if !registeredRedirect(app, r.RedirectURI) {
		return nil, nil, ErrBadRedirect
	}
	if r.ResponseType != "code" {
		return app, nil, &OAuthError{"unsupported_response_type", "The authorization server does not support this response type."}
	}
	sc, err := grantScopes(app, r.Scope)
	if err != nil {
		return app, nil, err
	}
	if err := checkChallenge(r.CodeChallenge, r.CodeChallengeMethod); err != nil {
		return app, nil, err
	}
	return app, sc, nil
}

// registeredRedirect reports whether uri is one the app registered; with
// none given, the app's only URI is used, as Doorkeeper does.
func registeredRedirect(app *model.App, uri string) bool {
	for _, r := range app.RedirectURIs {
		if r == uri {
			return true
		}
	}
	return false
}

// grantScopes parses the scopes a grant asks for: none means the app's
// registered scopes; otherwise they must be known and within the app's.
func grantScopes(app *model.App, scope string) (Scopes, error) {
	registered := ParseScopes(app.Scopes)
	if strings.TrimSpace(scope) == "" {
		return registered, nil
	}
	sc, ok := ValidScopes(scope)
	if !ok || !sc.Within(registered) {
		return nil, ErrInvalidScope
	}
	return sc, nil
}

// checkChallenge accepts no PKCE at all, or an S256 challenge: the 43
// base64url characters of a SHA-256. Like Mastodon, "plain" is refused.
func checkChallenge(challenge, method string) error {
	if challenge == "" && method == "" {
		return nil
	}
	if method != "S256" {
		return invalidRequest("Code challenge method must be S256.")
	}
	if b, err := base64.RawURLEncoding.DecodeString(challenge); err != nil || len(b) != sha256.Size {
		return invalidRequest("Code challenge is malformed.")
	}
	return nil
}

// IssueCode makes a single-use authorization code for a request that
// CheckAuthRequest accepted and the signed-in account approved.
func (s *Service) IssueCode(ctx context.Context, r AuthRequest, accountID int64) (string, error) {
	app, sc, err := s.CheckAuthRequest(ctx, r)
	if err != nil {
		return "", err
	}
	code, err := randomToken(tokenBytes)
	if err != nil {
		return "", err
	}
	c := &model.AuthCode{
		Hash: hashSecret(code), AppID: app.ID, AccountID: accountID, RedirectURI: r.RedirectURI,
		Scopes: sc.String(), CodeChallenge: r.CodeChallenge, CodeChallengeMethod: r.CodeChallengeMethod,
		ExpiresAt: s.now().Add(authCodeTTL),
	}
	if err := s.store.CreateAuthCode(ctx, c); err != nil {
		return "", fmt.Errorf("core: issue code: %w", err)
	}
	return code, nil
}

// Grant is an issued access token: AccessToken is the bearer string,
// shown once.
type Grant struct {
	AccessToken string
	Token       *model.Token
}

// ExchangeCode trades an authorization code for a token
// (grant_type=authorization_code). The code works once, within ten
// minutes, for the app and redirect URI it was issued to, and with the
// verifier of its PKCE challenge when it has one.
func (s *Service) ExchangeCode(ctx context.Context, app *model.App, code, redirectURI, verifier string) (*Grant, error) {
	if code == "" || len(code) > maxBearerLen {
		return nil, ErrInvalidGrant
	}
	c, err := s.store.TakeAuthCode(ctx, hashSecret(code))
	if errors.Is(err, model.ErrNotFound) {
		return nil, ErrInvalidGrant
	}
	if err != nil {
		return nil, fmt.Errorf("core: exchange code: %w", err)
	}
	if c.AppID != app.ID || c.RedirectURI != redirectURI || !s.now().Before(c.ExpiresAt) {
		return nil, ErrInvalidGrant
	}
	if c.CodeChallenge != "" && !pkceMatches(c.CodeChallenge, verifier) {
		return nil, ErrInvalidGrant
	}
	if _, _, err := s.signedIn(ctx, c.AccountID); err != nil {
		return nil, grantErr(err)
	}
	return s.issueToken(ctx, app.ID, c.AccountID, ParseScopes(c.Scopes))
}

// pkceMatches checks an S256 verifier (RFC 7636 §4.6).
func pkceMatches(challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// PasswordGrant signs a user in with a password (grant_type=password), for
// command-line clients. Users with two-factor login are refused, and so are
// suspended, disabled and unapproved ones; failures are throttled per account.
func (s *Service) PasswordGrant(ctx context.Context, app *model.App, login, password, scope string) (*Grant, error) {
	sc, err := grantScopes(app, scope)
	if err != nil {
		return nil, err
	}
	acct, u, err := s.SignIn(ctx, login, password)
	if err != nil {
		return nil, grantErr(err)
	}
	if u.OTPEnabled {
		return nil, ErrInvalidGrant
	}
	return s.issueToken(ctx, app.ID, acct.ID, sc)
}

// grantErr turns a sign-in refusal into invalid_grant, keeping throttling
// (model.ErrRateLimited) and internal failures as they are.
func grantErr(err error) error {
	if errors.Is(err, model.ErrUnauthorized) || errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrNotFound) {
		return ErrInvalidGrant
	}
	return err
}

// ClientCredentialsGrant issues an app-only token
// (grant_type=client_credentials).
func (s *Service) ClientCredentialsGrant(ctx context.Context, app *model.App, scope string) (*Grant, error) {
	sc, err := grantScopes(app, scope)
	if err != nil {
		return nil, err
	}
	return s.issueToken(ctx, app.ID, 0, sc)
}

func (s *Service) issueToken(ctx context.Context, appID, accountID int64, sc Scopes) (*Grant, error) {
	bearer, err := randomToken(tokenBytes)
	if err != nil {
		return nil, err
	}
	// A token keeps the day it was issued, not the moment of the sign-in:
	// its ID is random and its creation time is the start of the day.
	day := s.now().UTC().Truncate(24 * time.Hour)
	t := &model.Token{
		ID: model.RandomID(), Hash: hashSecret(bearer), AppID: appID, AccountID: accountID,
		Scopes: sc.String(), CreatedAt: day, LastUsedDay: day.Format("2006-01-02"),
	}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return nil, fmt.Errorf("core: issue token: %w", err)
	}
	return &Grant{AccessToken: bearer, Token: t}, nil
}

// RevokeToken revokes a token issued to app (POST /oauth/revoke). An
// unknown or already revoked token is not an error (RFC 7009); another
// app's token is ErrUnauthorizedClient.
func (s *Service) RevokeToken(ctx context.Context, app *model.App, bearer string) error {
	if bearer == "" || len(bearer) > maxBearerLen {
		return nil
	}
	t, err := s.store.TokenByHash(ctx, hashSecret(bearer))
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("core: revoke token: %w", err)
	}
	if t.AppID != app.ID {
		return ErrUnauthorizedClient
	}
	if err := s.store.RevokeToken(ctx, t.ID, s.now()); err != nil {
		return fmt.Errorf("core: revoke token: %w", err)
	}
	return nil
}

// SignIn checks a username (or email) and password, for the password grant
// and the sign-in page. A wrong pair is ErrBadCredentials whether or not
// the user exists; after repeated failures the account is locked for a
// while and every attempt, right or wrong, is model.ErrRateLimited. Only a
// correct password learns that a user is suspended, disabled or pending.
func (s *Service) SignIn(ctx context.Context, login, password string) (*model.Account, *model.User, error) {
	acct, err := s.loginAccount(ctx, login)
	if errors.Is(err, model.ErrNotFound) {
		burnPasswordCheck(password)
		return nil, nil, ErrBadCredentials
	}
	if err != nil {
		return nil, nil, fmt.Errorf("core: sign in: %w", err)
	}
	release := s.login.hold(acct.ID)
	defer release()
	u, err := s.store.User(ctx, acct.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("core: sign in: %w", err)
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return nil, nil, fmt.Errorf("core: sign in: %w", model.ErrRateLimited)
	}
	ok := false
	if len(password) <= 4*maxPasswordLen {
		ok, err = verifyPassword(u.PasswordHash, password)
		if err != nil {
			return nil, nil, fmt.Errorf("core: sign in %d: %w", acct.ID, err)
		}
	}
	if !ok {
		return nil, nil, s.failedSignIn(ctx, u, now)
	}
	u.FailedLogins, u.LockedUntil, u.LastSignInDay = 0, nil, s.today()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, nil, fmt.Errorf("core: sign in: %w", err)
	}
	if err := usable(acct, u); err != nil {
		return nil, nil, err
	}
	return acct, u, nil
}

func (s *Service) failedSignIn(ctx context.Context, u *model.User, now time.Time) error {
	u.FailedLogins++
	if d := s.login.lockFor(u.FailedLogins); d > 0 {
		until := now.Add(d)
		u.LockedUntil = &until
	}
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("core: sign in: %w", err)
	}
	return ErrBadCredentials
}

// loginAccount finds the local account a sign-in names: an email address
// or a username (with or without a leading @ or this server's domain).
func (s *Service) loginAccount(ctx context.Context, login string) (*model.Account, error) {
	login = strings.TrimSpace(login)
	if login == "" || len(login) > 320 || hasNUL(login) {
		return nil, model.ErrNotFound
	}
	if strings.Contains(strings.TrimPrefix(login, "@"), "@") {
		u, err := s.store.UserByEmailHash(ctx, s.emailHash(normalizeEmail(login)))
		if err == nil {
			return s.store.Account(ctx, u.AccountID)
		}
		if !errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
	}
	name, domain, _ := strings.Cut(strings.TrimPrefix(login, "@"), "@")
	if domain != "" && !strings.EqualFold(domain, s.settings().Domain) {
		return nil, model.ErrNotFound
	}
	return s.store.AccountByUsername(ctx, name, "")
}
