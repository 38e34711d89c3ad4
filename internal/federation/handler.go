package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// RequesterFunc identifies who made a GET: the local ID of the remote
// account whose HTTP signature on r verified, or 0 for an unsigned
// request. An error means a signature was present and failed; the fetch
// is refused with 401.
type RequesterFunc func(r *http.Request) (accountID int64, err error)

// Options configure a Handler.
type Options struct {
	// Version is the software version NodeInfo reports; "" reports
	// "unknown".
	Version string
	// Logger receives server-side failures, never a requester's address;
	// nil means slog.Default().
	Logger *slog.Logger
	// Requester verifies signed fetches ("authorized fetch"). nil treats
	// every request as unsigned, so followers-only and direct statuses are
	// always 401; the app wires in NewRequester (requester.go).
	Requester RequesterFunc
	// Now is the clock, for NodeInfo's cache; nil means time.Now.
	Now func() time.Time
}

// Handler serves the ActivityPub and discovery routes.
type Handler struct {
	svc       *core.Service
	set       core.Settings
	urls      urls
	log       *slog.Logger
	requester RequesterFunc
	version   string
	now       func() time.Time
	usage     usageCache
	mux       *http.ServeMux
}

// New returns a Handler over svc.
func New(svc *core.Service, o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Requester == nil {
		o.Requester = anonymous
	}
	if o.Version == "" {
		o.Version = "unknown"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	set := svc.Settings()
	h := &Handler{
		svc: svc, set: set, urls: urls{base: strings.TrimSuffix(set.BaseURL, "/")},
		log: o.Logger, requester: o.Requester, version: o.Version, now: o.Now,
	}
	h.mux = http.NewServeMux()
	h.Register(h.mux)
	return h
}

// anonymous is the Requester until signed fetches are verified.
func anonymous(*http.Request) (int64, error) { return 0, nil }

// Register adds every route to mux, which may hold other routes (the
// patterns are all GET and specific).
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/webfinger", h.webfinger)
	mux.HandleFunc("GET /.well-known/host-meta", h.hostMeta)
	mux.HandleFunc("GET /.well-known/host-meta.json", h.hostMetaJSON)
	mux.HandleFunc("GET /.well-known/nodeinfo", h.nodeinfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.0", h.nodeinfo20)
	mux.HandleFunc("GET /nodeinfo/2.1", h.nodeinfo21)
	mux.HandleFunc("GET /actor", h.activity(h.instanceActor))
	mux.HandleFunc("GET /actor/outbox", h.activity(h.instanceOutbox))
	mux.HandleFunc("GET /users/{username}", h.activity(h.actor))
	mux.HandleFunc("GET /users/{username}/outbox", h.activity(h.outbox))
	mux.HandleFunc("GET /users/{username}/followers", h.activity(h.followers))
	mux.HandleFunc("GET /users/{username}/following", h.activity(h.following))
	mux.HandleFunc("GET /users/{username}/collections/featured", h.activity(h.featured))
	mux.HandleFunc("GET /users/{username}/statuses/{id}", h.activity(h.note))
	mux.HandleFunc("GET /users/{username}/statuses/{id}/activity", h.activity(h.create))
	h.registerInbox(mux) // POST /inbox and /users/{username}/inbox (inbox.go)
}

// ServeHTTP serves the routes alone, for tests and for mounting the
// handler by itself.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Content types.
const (
	contentTypeActivity = "application/activity+json; charset=utf-8"
	contentTypeJSON     = "application/json; charset=utf-8"
	contentTypeJRD      = "application/jrd+json; charset=utf-8"
	contentTypeXRD      = "application/xrd+xml; charset=utf-8"
)

// Cache lifetimes. Documents anyone may read are cacheable for a few
// minutes, as Mastodon's are, so that a suspension or deletion reaches
// caches soon.
const (
	cachePublic    = "public, max-age=180"
	cacheDiscovery = "public, max-age=600"
	cacheNodeInfo  = "public, max-age=1800"
)

// activity wraps an ActivityPub route: it sets Vary, and answers 406 to a
// request that does not ask for ActivityStreams, before looking anything
// up (so a 406 says nothing about what exists).
func (h *Handler) activity(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept")
		if !wantsActivity(r.Header.Values("Accept")) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotAcceptable)
			_, _ = w.Write([]byte("This address serves ActivityPub documents: ask for application/activity+json, or open it in a browser for its web page.\n"))
			return
		}
		next(w, r)
	}
}

// writeObject sends an ActivityStreams document.
func (h *Handler) writeObject(w http.ResponseWriter, r *http.Request, o *ap.Object, cache string) {
	b, err := ap.Marshal(o)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", contentTypeActivity)
	hd.Set("Cache-Control", cache)
	_, _ = w.Write(b)
}

// writeJSON sends v as JSON of the given content type.
func (h *Handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType, cache string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		h.serverError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	if cache != "" {
		hd.Set("Cache-Control", cache)
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorBody is what every error response carries, as Mastodon's do.
type errorBody struct {
	Error string `json:"error"`
}

// fail answers err with the status its kind calls for. Messages are fixed
// here; err's text goes only to the log, and only for server errors.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, model.ErrNotFound), errors.Is(err, model.ErrShredded):
		h.writeError(w, r, http.StatusNotFound, "Not found")
	case errors.Is(err, model.ErrUnauthorized):
		h.unauthorized(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// unauthorized refuses a fetch that needs a verified signature. RFC 9110
// requires a challenge on 401; draft-cavage defines this one.
func (h *Handler) unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Signature realm="`+h.set.Domain+`",headers="(request-target) host date"`)
	h.writeError(w, r, http.StatusUnauthorized, "Request not signed by an authorized actor")
}

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	h.writeJSON(w, r, status, contentTypeJSON, "", errorBody{Error: msg})
}

// serverError logs err with the route (never the caller's address) and
// sends a bare 500.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("federation: request failed", "route", r.Pattern, "err", err)
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(`{"error":"Internal server error"}` + "\n"))
}

// textOptions are what bios are rendered with.
func (h *Handler) textOptions() text.Options {
	return text.Options{BaseURL: h.urls.base, LocalDomain: h.set.Domain}
}
