package mastoapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/core"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{"scopeLabel": scopeLabel}).
	ParseFS(templateFS, "templates/*.html"))

// pageCSP allows the pages nothing but their own stylesheet: no scripts,
// no frames, no inline styles.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// authorizeView fills authorize.html.
type authorizeView struct {
	Instance string
	App      string
	Scopes   core.Scopes
	Request  core.AuthRequest
	State    string
	CSRF     string
	Username string
	Error    string
}

// codeView fills code.html, shown for the out-of-band redirect URI.
type codeView struct {
	Instance string
	App      string
	Code     string
}

// renderPage writes one of the HTML pages. Pages carry secrets (a code,
// a CSRF token): nothing may cache or frame them.
func (s *Server) renderPage(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("mastoapi: render page", "page", name, "err", err)
		writeError(w, http.StatusInternalServerError, "Internal server error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) pageError(w http.ResponseWriter, status int, msg string) {
	s.renderPage(w, status, "error.html", struct{ Instance, Message string }{s.svc.Settings().Title, msg})
}

// stylesheet is GET /oauth/style.css.
func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(css)
}

// The sign-in form is protected from cross-site submission by a double
// submit: a random nonce in a SameSite=Strict, HttpOnly cookie, and in the
// form a MAC over that nonce and an expiry, under a key that lives only in
// this process. A restart merely expires open forms.
const (
	csrfCookie = "roost_oauth_csrf"
	csrfTTL    = 15 * time.Minute
)

var csrfKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("mastoapi: no randomness for the CSRF key: " + err.Error())
	}
	return k
}()

func csrfMAC(nonce string, exp int64) string {
	m := hmac.New(sha256.New, csrfKey)
	m.Write([]byte(nonce + "|" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newCSRF sets a fresh nonce cookie and returns the form token for it.
func (s *Server) newCSRF(w http.ResponseWriter) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	nonce := base64.RawURLEncoding.EncodeToString(b)
	exp := time.Now().Add(csrfTTL).Unix()
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: nonce, Path: "/oauth/", MaxAge: int(csrfTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: strings.HasPrefix(s.svc.Settings().BaseURL, "https://"),
	})
	return strconv.FormatInt(exp, 10) + "." + csrfMAC(nonce, exp), nil
}

// checkCSRF reports whether token was made by newCSRF for the request's
// cookie and has not expired.
func (s *Server) checkCSRF(r *http.Request, token string) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	expStr, mac, ok := strings.Cut(token, ".")
	exp, err := strconv.ParseInt(expStr, 10, 64)
	if !ok || err != nil || time.Now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(csrfMAC(c.Value, exp)))
}
