package mastoapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// adminDomainImportRoutes registers the domain-blocklist CSV import, a
// Roost endpoint beside Mastodon's admin domain blocks (Mastodon imports
// only through its web pages).
func (s *Server) adminDomainImportRoutes() {
	s.mux.HandleFunc("POST /api/v1/admin/domain_blocks/import", s.admin("admin:write:domain_blocks", s.importDomainBlocks))
}

// DomainImportResult is the answer of the import. The import is all or
// nothing: a bad row fails the whole file with 422, naming its line in
// error and errors, and nothing is written. Imported counts domains added
// or changed, skipped those already blocked exactly so.
type DomainImportResult struct {
	Imported int      `json:"imported"`
	Skipped  int      `json:"skipped"`
	Added    int      `json:"added"`
	Updated  int      `json:"updated"`
	Errors   []string `json:"errors"`
}

// domainImportError is the refusal of a bad file: Mastodon's error entity
// with the counts, all zero since nothing was written.
type domainImportError struct {
	Error string `json:"error"`
	DomainImportResult
}

// importDomainBlocks is POST /api/v1/admin/domain_blocks/import. The CSV is
// the body itself (text/csv, or any type but a form or JSON), or the field
// data of a multipart form (a file or a value), or of a form or JSON body.
func (s *Server) importDomainBlocks(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	body, err := domainImportBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusUnprocessableEntity,
			"Validation failed: send Mastodon's domain blocklist CSV as the request body (text/csv) or as the multipart field data")
		return
	}
	sum, err := s.svc.ImportDomainBlocks(r.Context(), bytes.NewReader(body))
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		writeJSON(w, http.StatusUnprocessableEntity, domainImportError{Error: "Validation failed: " + ve.Msg,
			DomainImportResult: DomainImportResult{Errors: []string{ve.Msg}}})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DomainImportResult{Imported: sum.Added + sum.Updated, Skipped: sum.Unchanged,
		Added: sum.Added, Updated: sum.Updated, Errors: []string{}})
}

// domainImportBody reads the CSV from wherever the request put it. The
// request body limit bounds it.
func domainImportBody(r *http.Request) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File["data"]; len(fhs) > 0 {
				f, err := fhs[0].Open()
				if err != nil {
					return nil, err
				}
				defer f.Close()
				return io.ReadAll(f)
			}
		}
		return []byte(paramsOf(r).String("data")), nil
	case "application/json", "application/x-www-form-urlencoded":
		p := paramsOf(r)
		if bad := p.notScalar("data"); bad != "" {
			return nil, model.Invalid("data must be a string holding the CSV")
		}
		return []byte(p.String("data")), nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err // too large: the body limit's error, which fail maps to 413
	}
	if !strings.HasPrefix(ct, "text/") && ct != "" && ct != "application/csv" && ct != "application/octet-stream" {
		return nil, model.Invalid("unsupported content type: send text/csv or a multipart form with the field data")
	}
	return b, nil
}
