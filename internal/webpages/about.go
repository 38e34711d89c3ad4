package webpages

import (
	"net/http"

	"github.com/roost-social/roost/internal/model"
)

// aboutData fills about.html.
type aboutData struct {
	Domain      string
	Description string
	Contact     string
	Rules       []string
	Users       int
	Posts       int
	Joining     string // how one gets an account, in words
	CanSignUp   bool
}

// about is GET /about: the instance's title, description, rules (the
// data of GET /api/v1/instance/rules), contact, and the way in.
func (s *Server) about(w http.ResponseWriter, r *http.Request) {
	set := s.svc.Settings()
	stats, err := s.svc.InstanceStats(r.Context())
	if err != nil {
		s.failed(w, r, err)
		return
	}
	data := aboutData{
		Domain: set.Domain, Description: set.Description, Contact: set.ContactEmail, Rules: set.Rules,
		Users: stats.Users, Posts: stats.Statuses,
	}
	data.Joining, data.CanSignUp = joining(set.Registration)
	s.render(w, http.StatusOK, "about.html", head{Title: "About"}, data)
}

// joining says how an account is had under registration mode m, and
// whether a visitor may start signing up.
func joining(m model.RegistrationMode) (string, bool) {
	switch m {
	case model.RegistrationOpen:
		return "Anyone may sign up.", true
	case model.RegistrationApproval:
		return "Anyone may ask for an account; an administrator reviews each request before the account can be used.", true
	case model.RegistrationInvite:
		return "Sign-up needs an invitation from someone who already has an account here.", true
	}
	return "Sign-up is closed: accounts on this server are created by its administrators.", false
}
