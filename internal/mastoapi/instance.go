package mastoapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/privacy"
)

// Version is what the instance reports: the Mastodon API level Roost
// speaks, and Roost's own version, the way compatible servers say it.
const Version = "4.3.0 (compatible; Roost 0.1.0)"

// mastodonAPIVersion is the api_versions.mastodon of Mastodon 4.3.
const mastodonAPIVersion = 2

const sourceURL = "https://github.com/roost-social/roost"

// Limits shown in the instance configuration that Roost does not set
// itself yet (media and polls), as Mastodon's defaults.
var (
	mediaLimits = map[string]any{
		"supported_mime_types": []string{}, "image_size_limit": 16777216, "image_matrix_limit": 33177600,
		"video_size_limit": 103809024, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400,
		"description_limit": 1500,
	}
	pollLimits = map[string]any{
		"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746,
	}
)

// ruleEntity is Mastodon's Rule entity.
type ruleEntity struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
}

func (s *Server) rules() []ruleEntity {
	out := []ruleEntity{}
	for i, r := range s.svc.Settings().Rules {
		out = append(out, ruleEntity{ID: strconv.Itoa(i + 1), Text: r})
	}
	return out
}

func (s *Server) languages() []string {
	if l := s.svc.Settings().Languages; len(l) > 0 {
		return l
	}
	return []string{"en"}
}

// streamingURL is where the streaming API would be: the same host, over
// WebSockets.
func (s *Server) streamingURL() string {
	base := s.svc.Settings().BaseURL
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(base, "http://")
}

func statusLimits(set core.Settings) map[string]any {
	return map[string]any{"max_characters": set.MaxStatusChars, "max_media_attachments": 4, "characters_reserved_per_url": 23}
}

// instanceV2 is GET /api/v2/instance.
func (s *Server) instanceV2(w http.ResponseWriter, r *http.Request) {
	set := s.svc.Settings()
	st, err := s.svc.InstanceStats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mode := set.Registration
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": set.Domain, "title": set.Title, "version": Version, "source_url": sourceURL,
		"description": set.Description,
		"usage":       map[string]any{"users": map[string]int{"active_month": st.ActiveMonth}},
		"thumbnail":   map[string]any{"url": set.BaseURL + "/thumbnail.png"},
		"icon":        []any{},
		"languages":   s.languages(),
		"configuration": map[string]any{
			"urls": map[string]any{"streaming": s.streamingURL(), "status": nil,
				"privacy_policy": set.BaseURL + privacy.PagePath},
			"accounts":          accountLimits(),
			"statuses":          statusLimits(set),
			"media_attachments": mediaLimits,
			"polls":             pollLimits,
			"translation":       map[string]bool{"enabled": false},
		},
		"registrations": map[string]any{
			"enabled":           mode == model.RegistrationOpen || mode == model.RegistrationApproval,
			"approval_required": mode == model.RegistrationApproval,
			"reason_required":   mode == model.RegistrationApproval,
			"message":           nil, "url": nil,
		},
		"contact":      map[string]any{"email": set.ContactEmail, "account": nil},
		"rules":        s.rules(),
		"api_versions": map[string]int{"mastodon": mastodonAPIVersion},

		// Roost's extension: the privacy facts (privacy_facts.go).
		"roost_privacy": s.svc.PrivacyFacts(),
	})
}

func accountLimits() map[string]int {
	return map[string]int{
		"max_featured_tags": 0, "max_pinned_statuses": 5, "max_display_name_length": core.MaxDisplayNameChars,
		"max_note_length": core.MaxNoteChars, "max_profile_fields": core.MaxProfileFields,
		"profile_field_name_limit": core.MaxFieldChars, "profile_field_value_limit": core.MaxFieldChars,
	}
}

// instanceV1 is GET /api/v1/instance, the older shape.
func (s *Server) instanceV1(w http.ResponseWriter, r *http.Request) {
	set := s.svc.Settings()
	st, err := s.svc.InstanceStats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mode := set.Registration
	writeJSON(w, http.StatusOK, map[string]any{
		"uri": set.Domain, "title": set.Title, "short_description": set.Description,
		"description": set.Description, "email": set.ContactEmail, "version": Version,
		"urls":      map[string]string{"streaming_api": s.streamingURL()},
		"stats":     map[string]int{"user_count": st.Users, "status_count": st.Statuses, "domain_count": st.Domains},
		"thumbnail": set.BaseURL + "/thumbnail.png", "languages": s.languages(),
		"registrations":     mode == model.RegistrationOpen || mode == model.RegistrationApproval,
		"approval_required": mode == model.RegistrationApproval,
		"invites_enabled":   mode == model.RegistrationInvite,
		"configuration": map[string]any{
			"accounts":          map[string]int{"max_featured_tags": 0},
			"statuses":          statusLimits(set),
			"media_attachments": mediaLimits,
			"polls":             pollLimits,
		},
		"contact_account": nil,
		"rules":           s.rules(),
		"roost_privacy":   s.svc.PrivacyFacts(), // see privacy_facts.go
	})
}

// instanceRules is GET /api/v1/instance/rules.
func (s *Server) instanceRules(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.rules())
}

// instancePeers is GET /api/v1/instance/peers; 404 when not published.
func (s *Server) instancePeers(w http.ResponseWriter, r *http.Request) {
	peers, err := s.svc.Peers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, peers)
}

// instanceActivity is GET /api/v1/instance/activity; 404 when not
// published. Mastodon sends every figure as a string.
func (s *Server) instanceActivity(w http.ResponseWriter, r *http.Request) {
	weeks, err := s.svc.Activity(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]map[string]string, 0, len(weeks))
	for _, wk := range weeks {
		out = append(out, map[string]string{
			"week": strconv.FormatInt(wk.Week.Unix(), 10), "statuses": strconv.Itoa(wk.Statuses),
			"logins": strconv.Itoa(wk.Logins), "registrations": strconv.Itoa(wk.Registrations),
		})
	}
	writeJSON(w, http.StatusOK, out)
}
