package core

import (
	"context"
	"fmt"
	"sort"

	"github.com/roost-social/roost/internal/store"
)

// PublishedDomainBlocks are the instance blocks shown to signed-in users
// (GET /api/v1/instance/domain_blocks), as Mastodon's "show domain blocks"
// setting does by default ("users"): the blocks with limits users notice
// (silence and suspend; noop blocks are left out even with reject_media),
// silences first, then by domain. Adapters show only the public comment,
// and obfuscate the domain when the block asks to.
func (s *Service) PublishedDomainBlocks(ctx context.Context) ([]*store.DomainBlock, error) {
	all, err := s.store.AllDomainBlocks(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("core: published domain blocks: %w", err)
	}
	out := make([]*store.DomainBlock, 0, len(all))
	for _, b := range all {
		if b.Severity == store.SeveritySilence || b.Severity == store.SeveritySuspend {
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity == store.SeveritySilence
		}
		return out[i].Domain < out[j].Domain
	})
	return out, nil
}
