package mastoapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// domainBlockRoutes registers the per-user domain blocks and the admin API
// for instance domain blocks. Scopes are Mastodon's; "follow" covers the
// blocks scopes and "admin:read"/"admin:write" the admin ones.
func (s *Server) domainBlockRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/domain_blocks", s.user("read:blocks", s.userDomainBlocks))
	m.HandleFunc("POST /api/v1/domain_blocks", s.user("write:blocks", s.blockDomain))
	m.HandleFunc("DELETE /api/v1/domain_blocks", s.user("write:blocks", s.unblockDomain))
	m.HandleFunc("GET /api/v1/instance/domain_blocks", s.user("", s.instanceDomainBlocks))

	m.HandleFunc("GET /api/v1/admin/domain_blocks", s.admin("admin:read:domain_blocks", s.adminDomainBlocks))
	m.HandleFunc("GET /api/v1/admin/domain_blocks/{id}", s.admin("admin:read:domain_blocks", s.adminDomainBlock))
	m.HandleFunc("POST /api/v1/admin/domain_blocks", s.admin("admin:write:domain_blocks", s.adminCreateDomainBlock))
	m.HandleFunc("PUT /api/v1/admin/domain_blocks/{id}", s.admin("admin:write:domain_blocks", s.adminUpdateDomainBlock))
	m.HandleFunc("DELETE /api/v1/admin/domain_blocks/{id}", s.admin("admin:write:domain_blocks", s.adminDeleteDomainBlock))
}

// admin wraps an endpoint of the admin API: a user's token with scope, of
// a user whose role manages federation (owner or admin).
func (s *Server) admin(scope string, h handler) http.HandlerFunc {
	return s.user(scope, func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		if err := core.CheckAdmin(a); err != nil {
			writeError(w, http.StatusForbidden, "This action is not allowed")
			return
		}
		h(w, r, a)
	})
}

// Domain lists page by 100, at most 200, as Mastodon's.
const (
	domainPageDefault = 100
	domainPageMax     = 200
)

// userDomainBlocks is GET /api/v1/domain_blocks: the caller's blocked
// domains as an array of strings.
func (s *Server) userDomainBlocks(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	l, err := s.svc.BlockedDomains(r.Context(), a, pageWithin(r, domainPageDefault, domainPageMax))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, l.Items)
}

// blockDomain is POST /api/v1/domain_blocks.
func (s *Server) blockDomain(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	s.onDomain(w, r, a, s.svc.BlockDomain)
}

// unblockDomain is DELETE /api/v1/domain_blocks.
func (s *Server) unblockDomain(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	s.onDomain(w, r, a, s.svc.UnblockDomain)
}

func (s *Server) onDomain(w http.ResponseWriter, r *http.Request, a *core.Auth, act func(ctx context.Context, a *core.Auth, domain string) error) {
	p := paramsOf(r)
	if err := act(r.Context(), a, p.String("domain")); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// AdminDomainBlock is Mastodon's Admin::DomainBlock entity.
type AdminDomainBlock struct {
	ID             string  `json:"id"`
	Domain         string  `json:"domain"`
	Digest         string  `json:"digest"`
	CreatedAt      string  `json:"created_at"`
	Severity       string  `json:"severity"`
	RejectMedia    bool    `json:"reject_media"`
	RejectReports  bool    `json:"reject_reports"`
	PrivateComment *string `json:"private_comment"`
	PublicComment  *string `json:"public_comment"`
	Obfuscate      bool    `json:"obfuscate"`
}

func renderAdminDomainBlock(b *store.DomainBlock) AdminDomainBlock {
	sum := sha256.Sum256([]byte(b.Domain))
	return AdminDomainBlock{
		ID: model.FormatID(b.ID), Domain: b.Domain, Digest: hex.EncodeToString(sum[:]),
		CreatedAt: mastoTime(b.CreatedAt), Severity: string(b.Severity),
		RejectMedia: b.RejectMedia, RejectReports: b.RejectReports, Obfuscate: b.Obfuscate,
		PrivateComment: nullString(b.PrivateComment), PublicComment: nullString(b.PublicComment),
	}
}

// nullString is s, or null when empty.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// adminDomainBlocks is GET /api/v1/admin/domain_blocks.
func (s *Server) adminDomainBlocks(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	l, err := s.svc.DomainBlocks(r.Context(), pageWithin(r, domainPageDefault, domainPageMax))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]AdminDomainBlock, 0, len(l.Items))
	for _, b := range l.Items {
		out = append(out, renderAdminDomainBlock(b))
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, out)
}

// adminDomainBlock is GET /api/v1/admin/domain_blocks/{id}.
func (s *Server) adminDomainBlock(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.writeAdminDomainBlock(w, r)(s.svc.DomainBlock(r.Context(), id))
}

func (s *Server) writeAdminDomainBlock(w http.ResponseWriter, r *http.Request) func(*store.DomainBlock, error) {
	return func(b *store.DomainBlock, err error) {
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, renderAdminDomainBlock(b))
	}
}

// domainBlockChange applies the parameters given to b; absent ones keep
// b's values.
func domainBlockChange(p *params) func(*store.DomainBlock) {
	return func(b *store.DomainBlock) {
		if p.Has("severity") {
			b.Severity = store.Severity(p.String("severity"))
		}
		b.RejectMedia = p.Bool("reject_media", b.RejectMedia)
		b.RejectReports = p.Bool("reject_reports", b.RejectReports)
		b.Obfuscate = p.Bool("obfuscate", b.Obfuscate)
		if p.Has("private_comment") {
			b.PrivateComment = p.String("private_comment")
		}
		if p.Has("public_comment") {
			b.PublicComment = p.String("public_comment")
		}
	}
}

// adminCreateDomainBlock is POST /api/v1/admin/domain_blocks. A domain
// blocked already is a 422 that carries the existing block, as Mastodon's.
func (s *Server) adminCreateDomainBlock(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	p := paramsOf(r)
	b := store.DomainBlock{Domain: p.String("domain"), Severity: store.SeveritySilence}
	domainBlockChange(p)(&b)
	created, err := s.svc.AddDomainBlock(r.Context(), b, false)
	if errors.Is(err, model.ErrConflict) {
		s.writeExistingDomainBlock(w, r, b.Domain)
		return
	}
	s.writeAdminDomainBlock(w, r)(created, err)
}

func (s *Server) writeExistingDomainBlock(w http.ResponseWriter, r *http.Request, domain string) {
	d, err := core.NormalizeDomain(domain)
	var existing *store.DomainBlock
	if err == nil {
		existing, err = s.svc.DomainBlockByDomain(r.Context(), d)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e := renderAdminDomainBlock(existing)
	writeJSON(w, http.StatusUnprocessableEntity, struct {
		Error    string            `json:"error"`
		Existing *AdminDomainBlock `json:"existing_domain_block"`
	}{"Validation failed: the domain is blocked already", &e})
}

// adminUpdateDomainBlock is PUT /api/v1/admin/domain_blocks/{id}.
func (s *Server) adminUpdateDomainBlock(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	s.writeAdminDomainBlock(w, r)(s.svc.UpdateDomainBlock(r.Context(), id, domainBlockChange(p)))
}

// adminDeleteDomainBlock is DELETE /api/v1/admin/domain_blocks/{id}.
func (s *Server) adminDeleteDomainBlock(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if err := s.svc.RemoveDomainBlockByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
