package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Scheduled refresh of remote accounts (issue 3 §4). Actors are fetched on
// demand when a resolve finds them older than RemoteActorTTL; an actor that
// nothing here looks up again (a follower who never posts) would keep its
// name, keys and inbox forever. A periodic job therefore walks the cached
// actors that are still referenced (following or followed by a local
// account, as store.Refresh.StaleRemoteActors lists them) and fetches each
// one older than RemoteActorTTL again. Actors seen once and referenced by no
// one are left to the on-demand path, as Mastodon does, so that the job does
// not turn every author ever seen into a request a day.
//
// Statuses are not refreshed on a schedule: as on Mastodon, an edit arrives
// as an Update and a deletion as a Delete, and core fetches a status only
// when an activity names one it does not know.

// RefreshBatch is how many actors one refresh pass fetches at most.
const RefreshBatch = 50

// ErrGone is what a Fetcher answers for a document its server says is gone
// for good (HTTP 410). It wraps model.ErrNotFound, so callers that only care
// whether a document was found need not know it.
var ErrGone = fmt.Errorf("gone: %w", model.ErrNotFound)

// RefreshPass is what one refresh pass did.
type RefreshPass struct {
	// Refreshed, Purged and Failed count the actors fetched and stored
	// again, removed because their server says they are gone, and left as
	// cached because the fetch failed.
	Refreshed, Purged, Failed int
	// Next is the account id the next pass starts after; 0 when this pass
	// reached the end of the stale actors, so the next starts over.
	Next int64
}

// RefreshRemoteActors fetches again at most limit remote actors, after
// account id after, that were fetched longer than RemoteActorTTL ago and
// that follow or are followed by a local account. A failed fetch leaves the
// cached copy as it was and the pass goes on; an actor its server answers
// with 410 Gone or a Tombstone is purged as an incoming Delete of it would
// purge it. The error is a storage failure, or ctx ending.
func (s *Service) RefreshRemoteActors(ctx context.Context, after int64, limit int) (RefreshPass, error) {
	var pass RefreshPass
	if s.fetch == nil || limit <= 0 {
		return pass, nil
	}
	ids, err := s.store.StaleRemoteActors(ctx, s.now().Add(-RemoteActorTTL), after, limit)
	if err != nil {
		return pass, fmt.Errorf("core: refresh actors: %w", err)
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return pass, err
		}
		gone, err := s.RefreshActor(ctx, id)
		switch {
		case err != nil:
			pass.Failed++
		case gone:
			pass.Purged++
		default:
			pass.Refreshed++
		}
		pass.Next = id
	}
	if len(ids) < limit {
		pass.Next = 0
	}
	return pass, nil
}

// RefreshActor fetches the actor document of remote account accountID now
// and stores it, so that a new name, keys or inbox take effect. When the
// server answers 410 Gone, or with a Tombstone in the actor's place, the
// account is purged (gone is true). On any other failure, including a
// document that is not the same actor, the cached copy is left untouched.
func (s *Service) RefreshActor(ctx context.Context, accountID int64) (gone bool, err error) {
	if s.fetch == nil {
		return false, errNoFetcher
	}
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return false, fmt.Errorf("core: refresh actor: %w", err)
	}
	if a.Local() || a.URI == "" {
		return false, fmt.Errorf("core: refresh actor %d: not remote: %w", accountID, model.ErrNotFound)
	}
	doc, err := s.fetch.FetchObject(ctx, a.URI)
	if errors.Is(err, ErrGone) {
		return true, s.purgeRemoteAccount(ctx, a.ID)
	}
	if err != nil {
		return false, fmt.Errorf("core: refresh actor %d: %w", accountID, err)
	}
	o, err := ap.Decode(doc.Body)
	if err != nil {
		return false, fmt.Errorf("core: refresh actor %d: %w", accountID, err)
	}
	if o.Type == ap.TypeTombstone && o.ID == a.URI && sameHost(doc.URL, a.URI) {
		return true, s.purgeRemoteAccount(ctx, a.ID)
	}
	if !o.IsActor() || o.ID != a.URI {
		return false, fmt.Errorf("core: refresh actor %d: the document is not that actor: %w", accountID, model.ErrInvalid)
	}
	stored, ra, err := s.storeActor(ctx, o, doc)
	if err != nil {
		return false, err
	}
	s.queueFeatured(ctx, stored, ra) // read its pins again (featured_fetch.go)
	return false, nil
}
