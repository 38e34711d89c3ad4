package mastoapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// exportRoutes registers Roost's own endpoints for a user's export
// archive and inventory. Mastodon offers its archive only in its web
// settings (/settings/export, one archive at a time) and GoToSocial offers
// CSV downloads but no archive, so the paths and entities are Roost's.
// Everything needs scope read: an archive holds all the account's data.
func (s *Server) exportRoutes() {
	s.mux.HandleFunc("POST /api/v1/roost/exports", s.user("read", s.createExport))
	s.mux.HandleFunc("GET /api/v1/roost/exports", s.user("read", s.listExports))
	s.mux.HandleFunc("GET /api/v1/roost/exports/{id}", s.user("read", s.getExport))
	s.mux.HandleFunc("GET /api/v1/roost/exports/{id}/download", s.user("read", s.downloadExport))
	s.mux.HandleFunc("GET /api/v1/roost/inventory", s.user("read", s.inventory))
	s.mux.HandleFunc("GET /api/v1/roost/inventory.html", s.user("read", s.inventoryPage))
	s.csvExportRoutes() // GoToSocial's CSV exports (exports_csv.go)
}

// ExportEntity is an export archive's state: "pending", "running",
// "ready" or "failed", progress in percent, the archive's size in bytes
// once ready, and where to download it (null until ready). An export is
// deleted at expires_at.
type ExportEntity struct {
	ID          string  `json:"id"`
	State       string  `json:"state"`
	Progress    int     `json:"progress"`
	Size        int64   `json:"size"`
	CreatedAt   string  `json:"created_at"`
	FinishedAt  *string `json:"finished_at"`
	ExpiresAt   string  `json:"expires_at"`
	DownloadURL *string `json:"download_url"`
}

func (s *Server) renderExport(e *store.Export) ExportEntity {
	out := ExportEntity{ID: model.FormatID(e.ID), State: string(e.State), Progress: e.Progress, Size: e.Size,
		CreatedAt: mastoTime(e.CreatedAt), ExpiresAt: mastoTime(e.ExpiresAt)}
	if e.FinishedAt != nil {
		t := mastoTime(*e.FinishedAt)
		out.FinishedAt = &t
	}
	if e.State == store.ExportReady {
		u := strings.TrimSuffix(s.svc.Settings().BaseURL, "/") + "/api/v1/roost/exports/" + out.ID + "/download"
		out.DownloadURL = &u
	}
	return out
}

// createExport is POST /api/v1/roost/exports: 202 with the new export,
// whose job has been queued.
func (s *Server) createExport(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	e, err := s.svc.RequestExport(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, s.renderExport(e))
}

// listExports is GET /api/v1/roost/exports: the unexpired ones, newest
// first.
func (s *Server) listExports(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	list, err := s.svc.Exports(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]ExportEntity, 0, len(list))
	for _, e := range list {
		out = append(out, s.renderExport(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// getExport is GET /api/v1/roost/exports/{id}. Another account's export
// is 404, as a missing or expired one.
func (s *Server) getExport(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	e, err := s.svc.Export(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderExport(e))
}

// downloadExport is GET /api/v1/roost/exports/{id}/download: the zip
// archive, never cached. One not ready yet is 404.
func (s *Server) downloadExport(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	e, b, err := s.svc.ExportArchive(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "archive-" + e.CreatedAt.UTC().Format("20060102150405") + "-" + model.FormatID(e.ID) + ".zip"
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
