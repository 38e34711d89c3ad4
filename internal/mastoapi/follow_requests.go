package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// followRequests is GET /api/v1/follow_requests.
func (s *Server) followRequests(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.FollowRequests(r.Context(), a, pageWithin(r, accountPageDefault, accountPageMax))
	s.writeAccounts(w, r, l, err)
}
