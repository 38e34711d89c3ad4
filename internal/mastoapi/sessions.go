package mastoapi

import (
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// sessionRoutes registers Roost's sessions and authorized apps endpoints:
// a user lists the tokens their account holds and revokes any of them.
func (s *Server) sessionRoutes() {
	s.mux.HandleFunc("GET /api/v1/roost/sessions", s.user("read", s.sessions))
	s.mux.HandleFunc("DELETE /api/v1/roost/sessions/{id}", s.user("write", s.revokeSession))
}

// Session is one live token as GET /api/v1/roost/sessions shows it. The
// id names the token's row, never the token; times are days, the finest
// Roost keeps of a token's use.
type Session struct {
	ID          string     `json:"id"`
	App         SessionApp `json:"app"`
	Scopes      []string   `json:"scopes"`
	CreatedDay  string     `json:"created_day"`
	LastUsedDay *string    `json:"last_used_day"`
	Current     bool       `json:"current"`
}

// SessionApp is the app that holds a session's token.
type SessionApp struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// sessions is GET /api/v1/roost/sessions: the caller's tokens, newest first.
func (s *Server) sessions(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	list, err := s.svc.Sessions(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Session, 0, len(list))
	for _, v := range list {
		out = append(out, renderSession(v))
	}
	writeJSON(w, http.StatusOK, out)
}

func renderSession(v core.Session) Session {
	t := v.Token
	out := Session{ID: model.FormatID(t.ID), Scopes: strings.Fields(t.Scopes),
		CreatedDay: t.CreatedAt.UTC().Format("2006-01-02"), LastUsedDay: nullString(t.LastUsedDay), Current: v.Current}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	if v.App != nil {
		out.App = SessionApp{Name: v.App.Name, Website: nullString(v.App.Website)}
	}
	return out
}

// revokeSession is DELETE /api/v1/roost/sessions/{id}: it answers with an
// empty object; someone else's token is 404.
func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if err := s.svc.RevokeSession(r.Context(), a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
