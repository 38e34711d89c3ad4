// Package mastoapi is the Mastodon client API and OAuth 2 server: an HTTP
// adapter over core. It parses requests, checks tokens and scopes, calls
// core, and renders Mastodon's JSON entities, errors and paging headers. It
// never talks to storage directly.
package mastoapi

import (
	"log/slog"
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// Options configures the API.
type Options struct {
	// MaxBodyBytes bounds every request body; 0 means 1 MiB.
	MaxBodyBytes int64
	Logger       *slog.Logger
}

// Server serves the Mastodon API and OAuth endpoints.
type Server struct {
	svc  *core.Service
	opts Options
	log  *slog.Logger
	mux  *routeMux
}

// routeMux is a ServeMux that remembers the patterns registered on it, so
// that tests can reach every route.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

// HandleFunc registers h for pattern.
func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// New returns the API as an http.Handler.
func New(svc *core.Service, o Options) *Server {
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{svc: svc, opts: o, log: o.Logger, mux: &routeMux{ServeMux: http.NewServeMux()}}
	s.routes()
	return s
}

// ServeHTTP applies the body limit and panic recovery, parses the body,
// then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			// The panic value may hold request data: log only where it happened.
			s.log.Error("mastoapi: panic", "method", r.Method, "route", r.Pattern)
			writeError(w, http.StatusInternalServerError, "Internal server error")
		}
	}()
	if cors(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	r, err := withParams(r)
	if err != nil {
		s.badParams(w, r, err)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// routes registers every endpoint. Each area's routes live beside its
// handlers.
func (s *Server) routes() {
	s.accountRoutes()
	s.statusRoutes()
	s.domainBlockRoutes()
	s.reportRoutes()
	s.retentionRoutes()
	s.adminSettingsRoutes()
	s.autoDeleteRoutes()
	s.searchRoutes()
	s.moveRoutes()
	s.privacyRoutes()
	s.accountDeletionRoutes()
	s.exportRoutes()
	s.adminAccountRoutes()
	s.sessionRoutes()
	s.adminDomainImportRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Record not found")
	})
}
