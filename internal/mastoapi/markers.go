package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Marker is Mastodon's Marker entity.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

func renderMarkers(ms []*model.Marker) map[string]Marker {
	out := make(map[string]Marker, len(ms))
	for _, m := range ms {
		out[m.Timeline] = Marker{LastReadID: model.FormatID(m.LastReadID), Version: m.Version, UpdatedAt: mastoTime(m.UpdatedAt)}
	}
	return out
}

// markers is GET /api/v1/markers?timeline[]=home&timeline[]=notifications.
func (s *Server) markers(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := &params{form: r.URL.Query()}
	ms, err := s.svc.Markers(r.Context(), a.ViewerID(), p.Strings("timeline"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, renderMarkers(ms))
}

// setMarkers is POST /api/v1/markers with home[last_read_id] and
// notifications[last_read_id].
func (s *Server) setMarkers(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	positions := map[string]int64{}
	for _, t := range core.MarkerTimelines {
		raw, ok := p.Object(t)["last_read_id"]
		if !ok {
			continue
		}
		id, ok := model.ParseID(raw)
		if !ok {
			writeFieldErrors(w, core.FieldErrors{{Field: "last_read_id", Code: "ERR_INVALID", Desc: "is invalid"}})
			return
		}
		positions[t] = id
	}
	ms, err := s.svc.SetMarkers(r.Context(), a.ViewerID(), positions)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, renderMarkers(ms))
}
