package mastoapi

import (
	"bytes"
	"encoding/csv"
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// csvExportRoutes registers GoToSocial's CSV export endpoints
// (/api/v1/exports/*.csv, each with the scope GoToSocial asks for), which
// give Mastodon's settings-page CSV exports through the API, plus
// domain_blocks.csv (Roost's; read:blocks). Each answers at once, with
// what core reads of the caller alone.
func (s *Server) csvExportRoutes() {
	for _, r := range []struct {
		file, scope string
		kind        core.CSVKind
	}{
		{"following.csv", "read:follows", core.CSVFollowing},
		{"blocks.csv", "read:blocks", core.CSVBlocks},
		{"mutes.csv", "read:mutes", core.CSVMutes},
		{"lists.csv", "read:lists", core.CSVLists},
		{"domain_blocks.csv", "read:blocks", core.CSVDomainBlocks},
	} {
		s.mux.HandleFunc("GET /api/v1/exports/"+r.file, s.user(r.scope, s.csvExport(r.kind, r.file)))
	}
}

// csvExport answers one CSV export as a download, never cached.
func (s *Server) csvExport(kind core.CSVKind, file string) handler {
	return func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		rows, err := s.svc.ExportCSV(r.Context(), a, kind)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		if err := cw.WriteAll(rows); err != nil {
			s.fail(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+file+`"`)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	}
}
