package federation

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// A fan-out's delivery jobs all carry the same event and differ only in
// their inbox, and the activity does not depend on the inbox: only the
// signature does. Rebuilding it per job read the actor, the status with
// its mentions, tags, media and parent, and marshalled it again, a
// thousand times for a thousand inboxes. The Deliverer therefore keeps
// each event's body for a few seconds, in memory only: the first job of a
// fan-out builds it while the others wait, and the rest of the fan-out
// signs it as it is. An edit or deletion during that window is carried by
// its own Update or Delete, which follows (a Delete waits for its Creates).
// The signing key, read once with the body (core.ActorKeys checks that its
// account still exists and is local), is kept with it: a key rotation or an
// account deletion is seen by the next build, builtTTL later at most, as
// other nodes already see a rotation only after the vault's cache TTL (a
// minute). The key stays in process memory, like the vault's cache.

const (
	// builtTTL is how long a built activity is reused.
	builtTTL = 5 * time.Second
	// builtMax bounds how many built activities are kept.
	builtMax = 64
)

// builtKey names the activity of one event: what a delivery job carries
// besides its inbox (Mentioned is a function of the status and event).
type builtKey struct {
	event                                     core.EventKind
	actor, target, status, row, report, nonce int64
	follow, reblogOf                          int64
	deletedURI, visibility, followURI         string
}

func keyOf(a DeliverArgs) builtKey {
	return builtKey{event: a.Event, actor: a.ActorID, target: a.TargetID, status: a.StatusID, row: a.RowID,
		report: a.ReportID, nonce: a.Nonce, follow: a.FollowID, reblogOf: a.ReblogOf,
		deletedURI: a.DeletedURI, visibility: a.Visibility, followURI: a.FollowURI}
}

// built is an activity ready to sign: its body, the key that signs it and
// that key's id. A nil *built means there is nothing to deliver: what the
// event concerns is gone.
type built struct {
	body  []byte
	key   crypto.Signer
	keyID string
}

// builtEntry is one cached build; done is closed once b and err are set.
type builtEntry struct {
	done    chan struct{}
	b       *built
	err     error
	expires time.Time
}

// builtCache is a small map of recent builds with a TTL; past builtMax the
// expired and then the oldest entries go.
type builtCache struct {
	mu sync.Mutex
	m  map[builtKey]*builtEntry
}

// cachedEvents are the events that fan out to many inboxes; the others
// go to one or a few, and gain nothing from the cache.
func cachedEvent(e core.EventKind) bool {
	switch e {
	case core.EventStatusCreated, core.EventStatusUpdated, core.EventStatusDeleted, core.EventProfileUpdated:
		return true
	}
	return false
}

// builtFor returns a's activity ready to sign, from the cache when an
// earlier job of the same event built it within builtTTL. Only complete
// outcomes are kept (a body, or nothing to deliver); an error is not, so
// the next job tries again.
func (d *Deliverer) builtFor(ctx context.Context, a DeliverArgs) (*built, error) {
	if !cachedEvent(a.Event) {
		return d.build(ctx, a)
	}
	k := keyOf(a)
	now := d.o.Now()
	c := &d.builds
	c.mu.Lock()
	if e, ok := c.m[k]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.b, nil
		}
		return d.build(ctx, a) // the build that was waited for failed
	}
	e := &builtEntry{done: make(chan struct{}), expires: now.Add(builtTTL)}
	c.put(k, e, now)
	c.mu.Unlock()
	e.b, e.err = d.build(ctx, a)
	if e.err != nil {
		c.mu.Lock()
		if c.m[k] == e {
			delete(c.m, k)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.b, e.err
}

// put adds e under k, making room first. c.mu must be held.
func (c *builtCache) put(k builtKey, e *builtEntry, now time.Time) {
	if c.m == nil {
		c.m = make(map[builtKey]*builtEntry)
	}
	if len(c.m) >= builtMax {
		var oldest builtKey
		var oldestAt time.Time
		for k, e := range c.m {
			if !now.Before(e.expires) {
				delete(c.m, k)
			} else if oldestAt.IsZero() || e.expires.Before(oldestAt) {
				oldest, oldestAt = k, e.expires
			}
		}
		if len(c.m) >= builtMax {
			delete(c.m, oldest)
		}
	}
	c.m[k] = e
}

// build reads what a's activity is made of and marshals it; nil when what
// it concerns is gone.
func (d *Deliverer) build(ctx context.Context, a DeliverArgs) (*built, error) {
	actor, err := d.svc.DeliveryAccount(ctx, a.ActorID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	act, err := d.activity(ctx, actor, a)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil // the status or account it concerns is gone since
	}
	if err != nil {
		return nil, err
	}
	body, err := ap.Marshal(act)
	if err != nil {
		return nil, river.JobCancel(fmt.Errorf("federation: deliver: %w", err))
	}
	signer, keyID := d.signerOf(actor, a)
	keys, err := d.svc.ActorKeys(ctx, signer)
	if err != nil {
		return nil, err
	}
	return &built{body: body, key: keys.RSA, keyID: keyID}, nil
}
