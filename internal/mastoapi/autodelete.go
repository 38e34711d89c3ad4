package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/store"
)

// autoDeleteRoutes registers Roost's endpoint for a user's own automated
// post deletion. Mastodon offers the same options only in its web
// settings (statuses_cleanup), so the path and entity are Roost's.
func (s *Server) autoDeleteRoutes() {
	s.mux.HandleFunc("GET /api/v1/statuses_cleanup", s.user("read:accounts", s.getAutoDelete))
	s.mux.HandleFunc("PUT /api/v1/statuses_cleanup", s.user("write:accounts", s.putAutoDelete))
}

// AutoDelete is a user's automated post deletion policy: when enabled,
// the user's posts older than min_status_age_days are deleted (and the
// deletion federated) unless a keep_ option or a threshold (null: none)
// spares them. Roost has no polls or media yet: keep_polls and keep_media
// are kept for when it does.
type AutoDelete struct {
	Enabled          bool `json:"enabled"`
	MinStatusAgeDays int  `json:"min_status_age_days"`
	KeepDirect       bool `json:"keep_direct"`
	KeepPinned       bool `json:"keep_pinned"`
	KeepPolls        bool `json:"keep_polls"`
	KeepMedia        bool `json:"keep_media"`
	KeepSelfFav      bool `json:"keep_self_fav"`
	KeepSelfBookmark bool `json:"keep_self_bookmark"`
	MinFavs          *int `json:"min_favs"`
	MinReblogs       *int `json:"min_reblogs"`
}

func renderAutoDelete(p store.AutoDeletePolicy) AutoDelete {
	orNull := func(n int) *int {
		if n == 0 {
			return nil
		}
		return &n
	}
	return AutoDelete{Enabled: p.Enabled, MinStatusAgeDays: p.MinAgeDays, KeepDirect: p.KeepDirect,
		KeepPinned: p.KeepPinned, KeepPolls: p.KeepPolls, KeepMedia: p.KeepMedia, KeepSelfFav: p.KeepSelfFav,
		KeepSelfBookmark: p.KeepSelfBookmark, MinFavs: orNull(p.MinFavs), MinReblogs: orNull(p.MinReblogs)}
}

// getAutoDelete is GET /api/v1/statuses_cleanup.
func (s *Server) getAutoDelete(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p, err := s.svc.AutoDelete(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, renderAutoDelete(p))
}

// putAutoDelete is PUT /api/v1/statuses_cleanup: the parameters given
// replace the current values, the others stay; a threshold of 0 clears
// it. A bad value is 422 and changes nothing.
func (s *Server) putAutoDelete(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p, err := s.svc.AutoDelete(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := paramsOf(r)
	for key, f := range map[string]*bool{"enabled": &p.Enabled, "keep_direct": &p.KeepDirect,
		"keep_pinned": &p.KeepPinned, "keep_polls": &p.KeepPolls, "keep_media": &p.KeepMedia,
		"keep_self_fav": &p.KeepSelfFav, "keep_self_bookmark": &p.KeepSelfBookmark} {
		*f = q.Bool(key, *f)
	}
	for key, f := range map[string]*int{"min_status_age_days": &p.MinAgeDays, "min_favs": &p.MinFavs,
		"min_reblogs": &p.MinReblogs} {
		if *f, err = q.Int(key, *f); err != nil {
			writeError(w, http.StatusUnprocessableEntity, err.Error())
			return
		}
	}
	if p, err = s.svc.SetAutoDelete(r.Context(), a, p); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, renderAutoDelete(p))
}
