// Package webpages serves the pages a signed-out visitor reads in a
// browser, rendered on the server and working without JavaScript: a local
// account's profile (/@name), one of its posts with its thread
// (/@name/id), and the instance's about page (/about). It is an HTTP
// adapter over core, like mastoapi: it only ever reads as a signed-out
// viewer, so core's visibility rules decide what a page may show.
//
// The pages load nothing but their own stylesheet and the local
// placeholder avatar: no script, font or image from elsewhere.
package webpages

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
)

// Options configures the pages.
type Options struct {
	// Logger receives server-side failures; nil means slog.Default().
	Logger *slog.Logger
}

// Server serves the logged-out pages.
type Server struct {
	svc *core.Service
	log *slog.Logger
	mux *http.ServeMux
}

// StylePath is where the pages' stylesheet is served.
const StylePath = "/pages/style.css"

// New returns the pages over svc.
func New(svc *core.Service, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{svc: svc, log: o.Logger, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{handle}", s.profile)
	s.mux.HandleFunc("GET /{handle}/{id}", s.statusPage)
	s.mux.HandleFunc("GET /about", s.about)
	s.mux.HandleFunc("GET "+StylePath, s.stylesheet)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w) }) // /@a/b/c, /@a/
	return s
}

// Wrap puts the pages in front of next, the rest of the site. The profile
// routes live under "/@", which a ServeMux pattern cannot express beside
// the site's other two-segment routes, so Wrap picks its paths itself:
// /@…, /about and the stylesheet. It also sends a browser that opens an
// ActivityPub address (/users/name, /users/name/statuses/id) to the
// matching page, and an ActivityPub client that opens a page to the
// document, so that both kinds of link work for both kinds of reader.
// Everything else goes to next.
func (s *Server) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if target, ok := s.redirect(r); ok {
				w.Header().Set("Vary", "Accept")
				http.Redirect(w, r, target, http.StatusFound)
				return
			}
			if s.owns(r.URL.Path) {
				s.mux.ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// owns reports whether path is one of the pages' own.
func (s *Server) owns(path string) bool {
	return strings.HasPrefix(path, "/@") || path == "/about" || path == StylePath
}

// ServeHTTP serves the pages alone (and 404 for anything else), for tests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Wrap(http.NotFoundHandler()).ServeHTTP(w, r)
}
