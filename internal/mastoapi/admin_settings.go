package mastoapi

import (
	"encoding/json"
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// adminSettingsRoutes registers Roost's own endpoints for the instance
// settings an admin changes at run time (Mastodon keeps these in its web
// admin only). Settings are named by their configuration key
// ("instance.jurisdiction", "retention.notifications_days"); an override
// wins over the configuration file until it is reset.
func (s *Server) adminSettingsRoutes() {
	s.mux.HandleFunc("GET /api/v1/roost/admin/settings", s.staff("admin:read", s.adminSettings))
	// Moderators read them; only admins and owners change them, as in Mastodon.
	s.mux.HandleFunc("PATCH /api/v1/roost/admin/settings", s.admin("admin:write", s.patchAdminSettings))
	s.mux.HandleFunc("DELETE /api/v1/roost/admin/settings/{key}", s.admin("admin:write", s.resetAdminSetting))
}

// AdminSetting is one setting's effective value (a string, a list of
// strings or a number of days) and where it comes from: "config" (the
// configuration file) or "override" (changed at run time).
type AdminSetting struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// adminSettings is GET /api/v1/roost/admin/settings: every editable
// setting by key.
func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	list, err := s.svc.InstanceSettings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeSettings(w, list)
}

// patchAdminSettings is PATCH /api/v1/roost/admin/settings with a JSON
// object of key: value; a null value resets the key to the configuration.
// One bad value refuses the whole patch (422) and changes nothing.
func (s *Server) patchAdminSettings(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	body := paramsOf(r).json
	if body == nil {
		writeError(w, http.StatusUnprocessableEntity,
			"Validation failed: send the settings as a JSON object (Content-Type: application/json)")
		return
	}
	s.applySettings(w, r, core.SettingsPatch(body))
}

// resetAdminSetting is DELETE /api/v1/roost/admin/settings/{key}: the
// key's value comes from the configuration again.
func (s *Server) resetAdminSetting(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	s.applySettings(w, r, core.SettingsPatch{r.PathValue("key"): json.RawMessage("null")})
}

func (s *Server) applySettings(w http.ResponseWriter, r *http.Request, patch core.SettingsPatch) {
	list, err := s.svc.UpdateInstanceSettings(r.Context(), patch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeSettings(w, list)
}

func writeSettings(w http.ResponseWriter, list []core.InstanceSetting) {
	out := make(map[string]AdminSetting, len(list))
	for _, st := range list {
		out[st.Key] = AdminSetting{Value: st.Value, Source: st.Source}
	}
	writeJSON(w, http.StatusOK, out)
}
