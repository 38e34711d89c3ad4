package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// preferencesEntity is Mastodon's Preferences entity.
type preferencesEntity struct {
	Visibility     string  `json:"posting:default:visibility"`
	Sensitive      bool    `json:"posting:default:sensitive"`
	Language       *string `json:"posting:default:language"`
	ExpandMedia    string  `json:"reading:expand:media"`
	ExpandSpoilers bool    `json:"reading:expand:spoilers"`
}

// preferences is GET /api/v1/preferences.
func (s *Server) preferences(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p, err := s.svc.Preferences(r.Context(), a.ViewerID())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := preferencesEntity{
		Visibility: string(p.PostingVisibility), Sensitive: p.PostingSensitive,
		ExpandMedia: p.ExpandMedia, ExpandSpoilers: p.ExpandSpoilers,
	}
	if p.PostingLanguage != "" {
		lang := p.PostingLanguage
		out.Language = &lang
	}
	writeJSON(w, http.StatusOK, out)
}
