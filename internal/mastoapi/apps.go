package mastoapi

import (
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Application is Mastodon's Application entity; ClientID and ClientSecret
// are set only in the CredentialApplication returned at registration.
type Application struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Website      *string  `json:"website"`
	Scopes       []string `json:"scopes"`
	RedirectURI  string   `json:"redirect_uri"`
	RedirectURIs []string `json:"redirect_uris"`
	// VapidKey is deprecated and Roost has no Web Push yet, but the
	// entity still requires it.
	VapidKey              string `json:"vapid_key"`
	ClientID              string `json:"client_id,omitempty"`
	ClientSecret          string `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int64 `json:"client_secret_expires_at,omitempty"`
}

func renderApp(app *model.App) Application {
	out := Application{
		ID: model.FormatID(app.ID), Name: app.Name, Scopes: core.ParseScopes(app.Scopes),
		RedirectURI: strings.Join(app.RedirectURIs, "\n"), RedirectURIs: app.RedirectURIs,
	}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	if app.Website != "" {
		site := app.Website
		out.Website = &site
	}
	return out
}

// createApp is POST /api/v1/apps. redirect_uris may be one string of
// whitespace-separated URIs or an array.
func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	p := paramsOf(r)
	var uris []string
	for _, u := range p.Strings("redirect_uris") {
		uris = append(uris, strings.Fields(u)...)
	}
	app, secret, err := s.svc.CreateApp(r.Context(), core.NewApp{
		Name: p.String("client_name"), Website: p.String("website"),
		RedirectURIs: uris, Scopes: strings.Join(p.Strings("scopes"), " "),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := renderApp(app)
	never := int64(0)
	out.ClientID, out.ClientSecret, out.ClientSecretExpiresAt = app.ClientID, secret, &never
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// verifyApp is GET /api/v1/apps/verify_credentials: any valid token of the
// app will do.
func (s *Server) verifyApp(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	writeJSON(w, http.StatusOK, renderApp(a.App))
}
