package store

import (
	"context"
	"time"
)

// Refresh finds the cached remote actors that are due to be fetched again.
type Refresh interface {
	// StaleRemoteActors returns, in ascending order, the ids of at most
	// limit remote accounts with ids above afterID whose actor document
	// was fetched before before, that are not suspended, and that follow
	// or are followed by (pending follows included) a local account.
	// Paging on the id, rather than oldest first, lets a caller walk past
	// actors whose refetch keeps failing.
	StaleRemoteActors(ctx context.Context, before time.Time, afterID int64, limit int) ([]int64, error)
}
