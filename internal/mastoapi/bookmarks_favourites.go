package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// bookmarks is GET /api/v1/bookmarks, paged by the bookmark.
func (s *Server) bookmarks(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.Bookmarks(r.Context(), a.ViewerID(), pageOf(r))
	s.writeStatusListing(w, r, l, err)
}

// favourites is GET /api/v1/favourites, paged by the favourite.
func (s *Server) favourites(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.Favourites(r.Context(), a.ViewerID(), pageOf(r))
	s.writeStatusListing(w, r, l, err)
}
