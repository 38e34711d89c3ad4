package mastoapi

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/store"
)

// DomainBlock is Mastodon's DomainBlock entity: an instance block as the
// instance's users see it.
type DomainBlock struct {
	Domain   string  `json:"domain"`
	Digest   string  `json:"digest"`
	Severity string  `json:"severity"`
	Comment  *string `json:"comment"`
}

// renderDomainBlock shows b with its public comment only, the domain
// obfuscated when the block asks for it, and the digest of the real
// domain (so that another server can check a domain it knows).
func renderDomainBlock(b *store.DomainBlock) DomainBlock {
	sum := sha256.Sum256([]byte(b.Domain))
	d := b.Domain
	if b.Obfuscate {
		d = obfuscateDomain(d)
	}
	return DomainBlock{Domain: d, Digest: hex.EncodeToString(sum[:]), Severity: string(b.Severity),
		Comment: nullString(b.PublicComment)}
}

// obfuscateDomain hides the middle half of domain behind '*', keeping the
// dots, as Mastodon's DomainBlock#public_domain does: the first and last
// quarter (and one character more at the start) stay readable.
func obfuscateDomain(domain string) string {
	b := []byte(domain) // blocks store ASCII (punycode) domains
	n := len(b)
	keep := n / 4
	for i := range b {
		if i > keep && i < n-keep && b[i] != '.' {
			b[i] = '*'
		}
	}
	return string(b)
}

// instanceDomainBlocks is GET /api/v1/instance/domain_blocks. Mastodon
// shows the list to signed-in users by default ("show domain blocks":
// users), which is what Roost does: a signed-out caller gets 401.
func (s *Server) instanceDomainBlocks(w http.ResponseWriter, r *http.Request, _ *core.Auth) {
	list, err := s.svc.PublishedDomainBlocks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]DomainBlock, 0, len(list))
	for _, b := range list {
		out = append(out, renderDomainBlock(b))
	}
	writeJSON(w, http.StatusOK, out)
}
