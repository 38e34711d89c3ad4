package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// retentionRoutes registers Roost's own admin endpoint for the retention
// policy (Mastodon has none): staff read it with scope admin:read.
func (s *Server) retentionRoutes() {
	s.mux.HandleFunc("GET /api/v1/admin/retention", s.staff("admin:read", s.adminRetention))
}

// RetentionCategory is one category of the retention policy, with its
// purge's progress. max_age_days 0 means kept forever; purge is how the
// category is purged ("sweep", "queue" or "none": Roost holds no such
// data yet). last_run_at is null until the first sweep.
type RetentionCategory struct {
	Category    string  `json:"category"`
	MaxAgeDays  int     `json:"max_age_days"`
	Purge       string  `json:"purge"`
	Description string  `json:"description"`
	LastRunAt   *string `json:"last_run_at"`
	LastPurged  int64   `json:"last_purged"`
	TotalPurged int64   `json:"total_purged"`
}

// adminRetention is GET /api/v1/admin/retention: every category in the
// order the purge sweeps them.
func (s *Server) adminRetention(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	cats, err := s.svc.RetentionStatus(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]RetentionCategory, 0, len(cats))
	for _, c := range cats {
		e := RetentionCategory{Category: string(c.Category), MaxAgeDays: c.Days(), Purge: string(c.How),
			Description: c.Description, LastPurged: c.LastPurged, TotalPurged: c.TotalPurged}
		if c.LastRunAt != nil {
			t := mastoTime(*c.LastRunAt)
			e.LastRunAt = &t
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, out)
}
