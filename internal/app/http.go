package app

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/ratelimit"
)

//go:embed static/*.png
var static embed.FS

// site is what the HTTP routes outside the Mastodon API need to know.
type site struct {
	title   string
	domain  string
	reg     string // registration mode, as in the configuration
	https   bool
	ping    func(context.Context) error // nil: /health only says the process is up
	log     *slog.Logger
	landing *template.Template
	guard   *ratelimit.Guard // nil: no rate limits
	// pages puts the logged-out web pages (internal/webpages) in front of
	// the other routes; nil: none.
	pages func(http.Handler) http.Handler
	// live, when set, gives the title and registration mode in force,
	// which an admin may change at run time; title and reg otherwise.
	live func() (title, reg string)
}

// newHandler combines the Mastodon API, the routes each of extra registers
// (federation's) and the few pages Roost serves itself, behind the
// security headers and panic recovery.
func newHandler(s *site, api http.Handler, extra ...func(*http.ServeMux)) http.Handler {
	mux := http.NewServeMux()
	for _, register := range extra {
		register(mux)
	}
	mux.HandleFunc("GET /{$}", s.landingPage)
	mux.HandleFunc("GET /health", s.health)
	mux.Handle("GET /avatars/original/missing.png", pngHandler("static/avatar-missing.png"))
	mux.Handle("GET /headers/original/missing.png", pngHandler("static/header-missing.png"))
	mux.Handle("/", api)
	var h http.Handler = mux
	if s.pages != nil {
		h = s.pages(mux)
	}
	return s.secure(s.limit(h))
}

// secure sets the headers every response carries, and turns a panic into a
// plain 500 so that net/http never logs the caller's address with it.
// Handlers below may replace these headers (the OAuth pages set their own
// Content-Security-Policy).
func (s *site) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("http: panic", "method", r.Method, "route", r.Pattern)
				http.Error(w, "Internal server error", http.StatusInternalServerError)
			}
		}()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// health answers load balancers and the test suite: 200 when the process
// is up and its database answers.
func (s *site) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.ping(ctx); err != nil {
			s.log.Warn("health: database unavailable", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("unavailable\n"))
			return
		}
	}
	_, _ = w.Write([]byte("OK\n"))
}

func pngHandler(name string) http.Handler {
	b, err := static.ReadFile(name)
	if err != nil {
		panic("app: missing embedded file " + name) // caught by TestStaticImages
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(b)
	})
}

// landingHTML is the placeholder front page until the web client exists: it
// names the instance and tells people how to sign in from a Mastodon app.
const landingHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .2em}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>This is a Roost server. To use it, open any Mastodon app (Tusky, Ivory, Elk, Phanpy, toot and others),
choose to log in, and enter the server address <code>{{.Domain}}</code>. The app sends you to a sign-in page here
and then asks you to allow it access.</p>
{{if eq .Registration "open"}}<p>New here? Sign up from the app's sign-up screen.</p>
{{else if eq .Registration "approval"}}<p>New here? Sign up from the app's sign-up screen; an administrator approves new accounts.</p>
{{else}}<p>Accounts on this server are created by its administrators.</p>
{{end}}<p>Before you sign up, read <a href="/about/privacy">this server's privacy facts</a>: what it holds about you, for how long,
who can read your direct messages, and under which law it runs.</p>
<nav aria-label="Site"><p><a href="/web/">Sign in</a>{{if ne .Registration "closed"}} · <a href="/web/signup">Sign up</a>{{end}} in the web app ·
<a href="/about">About this server</a> · <a href="/about/privacy">Privacy facts</a></p></nav>
</body>
</html>
`

func parseLanding() *template.Template {
	return template.Must(template.New("landing").Parse(landingHTML))
}

func (s *site) landingPage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	var b strings.Builder
	title, reg := s.title, s.reg
	if s.live != nil {
		title, reg = s.live()
	}
	if err := s.landing.Execute(&b, struct{ Title, Domain, Registration string }{title, s.domain, reg}); err != nil {
		s.log.Error("landing: render", "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte(b.String()))
}
