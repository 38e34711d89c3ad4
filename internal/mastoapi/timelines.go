package mastoapi

import (
	"net/http"
	"strconv"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/store"
)

// pageWithin is pageOf with an endpoint's own default and maximum limit.
func pageWithin(r *http.Request, def, max int) store.Page {
	p := pageOf(r)
	p.Limit = def
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 {
		p.Limit = min(n, max)
	}
	return p
}

// queryBool reads a boolean query parameter the way Rails does: "true",
// "1", "on" and so on.
func queryBool(r *http.Request, key string) bool {
	p := &params{form: r.URL.Query()}
	return p.Bool(key, false)
}

// writeStatusListing writes a page of statuses with its Link header.
func (s *Server) writeStatusListing(w http.ResponseWriter, r *http.Request, l *core.Listing[*core.StatusView], err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, s.renderStatuses(l.Items))
}

// homeTimeline is GET /api/v1/timelines/home.
func (s *Server) homeTimeline(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.HomeTimeline(r.Context(), a.ViewerID(), pageOf(r))
	s.writeStatusListing(w, r, l, err)
}

// timelineOptions reads local, remote and only_media.
func timelineOptions(r *http.Request) store.TimelineOptions {
	return store.TimelineOptions{
		Local: queryBool(r, "local"), Remote: queryBool(r, "remote"), OnlyMedia: queryBool(r, "only_media"),
	}
}

// publicTimeline is GET /api/v1/timelines/public; signed-out readers may
// use it, as Mastodon allows by default.
func (s *Server) publicTimeline(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.PublicTimeline(r.Context(), a.ViewerID(), timelineOptions(r), pageOf(r))
	s.writeStatusListing(w, r, l, err)
}

// tagTimeline is GET /api/v1/timelines/tag/{hashtag}. The any[], all[] and
// none[] parameters are not supported yet and are ignored.
func (s *Server) tagTimeline(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.TagTimeline(r.Context(), a.ViewerID(), r.PathValue("hashtag"), timelineOptions(r), pageOf(r))
	s.writeStatusListing(w, r, l, err)
}

// accountStatuses is GET /api/v1/accounts/{id}/statuses.
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	f := store.StatusFilter{
		OnlyMedia: queryBool(r, "only_media"), ExcludeReplies: queryBool(r, "exclude_replies"),
		ExcludeReblogs: queryBool(r, "exclude_reblogs"), Pinned: queryBool(r, "pinned"),
		Tag: r.URL.Query().Get("tagged"),
	}
	l, err := s.svc.AccountStatuses(r.Context(), a.ViewerID(), id, f, pageOf(r))
	s.writeStatusListing(w, r, l, err)
}
