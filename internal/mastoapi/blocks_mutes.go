package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// blocks is GET /api/v1/blocks.
func (s *Server) blocks(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.Blocks(r.Context(), a, pageWithin(r, accountPageDefault, accountPageMax))
	s.writeAccounts(w, r, l, err)
}

// mutes is GET /api/v1/mutes.
func (s *Server) mutes(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.Mutes(r.Context(), a, pageWithin(r, accountPageDefault, accountPageMax))
	s.writeAccounts(w, r, l, err)
}
