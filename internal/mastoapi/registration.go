package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// register is POST /api/v1/accounts: a sign-up through an app's token.
func (s *Server) register(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	reg := core.Registration{
		Username: p.String("username"), Email: p.String("email"), Password: p.String("password"),
		Agreement: p.Bool("agreement", false), Locale: p.String("locale"),
		Reason: p.String("reason"), InviteCode: p.String("invite_code"), Scopes: a.Scopes,
	}
	_, g, err := s.svc.Register(r.Context(), a.App, reg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeToken(w, g)
}
