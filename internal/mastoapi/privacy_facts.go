package mastoapi

import (
	"html/template"
	"net/http"
	"time"

	"github.com/roost-social/roost/internal/privacy"
)

// factsSince is when this process started, and so when the configuration
// its privacy facts come from took effect: the facts' updated_at.
var factsSince = time.Now().UTC()

// privacyRoutes registers the privacy facts: the page and Mastodon's
// privacy policy. Both are public, as on Mastodon.
func (s *Server) privacyRoutes() {
	s.mux.HandleFunc("GET "+privacy.PagePath, s.privacyPage)
	s.mux.HandleFunc("GET /api/v1/instance/privacy_policy", s.privacyPolicy)
}

// privacyView fills about_privacy.html.
type privacyView struct {
	Instance string
	Content  template.HTML
}

// privacyPage is GET /about/privacy: the facts as a page, with no script.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	f := s.svc.PrivacyFacts()
	s.renderPage(w, http.StatusOK, "about_privacy.html", privacyView{Instance: f.Instance, Content: f.HTML()})
}

// privacyPolicy is GET /api/v1/instance/privacy_policy, Mastodon's
// PrivacyPolicy entity: the same facts as HTML. Mastodon's apps show it at
// sign-up.
func (s *Server) privacyPolicy(w http.ResponseWriter, r *http.Request) {
	f := s.svc.PrivacyFacts()
	writeJSON(w, http.StatusOK, map[string]string{
		"updated_at": factsSince.Format(time.RFC3339),
		"content":    "<h1>Privacy at " + template.HTMLEscapeString(f.Instance) + "</h1>\n" + string(f.HTML()),
	})
}
