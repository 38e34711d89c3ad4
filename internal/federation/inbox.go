package federation

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// The inbox: POST /users/{username}/inbox and the shared POST /inbox.
// Both apply the activity to the whole server (core.ReceiveActivity);
// the personal one only checks that its user exists.
//
// A delivery goes through, in order, and stops at the first failure:
//
//  1. the body is read up to MaxInboxBody bytes; more is 413;
//  2. it is decoded (ap.Decode): malformed JSON, a document over the
//     decoder's limits or a type Roost does not know is 400;
//  3. the instance domain blocks of the actor's host, then (in the key
//     lookup, before the key is fetched and stored) of the signing key's
//     host: a suspended domain is answered 202 and the activity is
//     dropped, as Mastodon does, with nothing written;
//  4. the HTTP signature (either format, through httpsig.Verify and
//     core.PublicKeyForKeyID): none, or one that does not verify, is 401;
//     an actor whose key owner is suspended is dropped with 202;
//  5. the activity's actor must be the key's owner, else 401;
//  6. an activity id seen in the last ReplayWindow is answered 202 and
//     not applied again (see replayCache);
//  7. core applies it: 202 when applied or deliberately ignored (known
//     types Roost does not act on, unknown objects, what the actor may
//     not do), 400 for an activity that cannot be applied as sent (an
//     embedded object on another host than the actor's), 401 when core
//     finds the actor is not the signer, 503 when the domain blocks could
//     not be read, 500 for a failure on our side (the sender retries).
//
// No request is answered 500 for its content, and nothing is written
// before step 7, except what step 4 learns of the signer's actor document
// (its key), on a domain that step 3 cleared.

// MaxInboxBody is the largest activity accepted, the decoder's own limit.
const MaxInboxBody = 1 << 20

// ReplayWindow is how long an activity id is remembered: a signature older
// than httpsig.DefaultMaxAge (or further ahead than DefaultMaxFuture) fails
// verification anyway, so a replay of the same signed request after this
// window is refused by the signature check.
const ReplayWindow = httpsig.DefaultMaxAge + httpsig.DefaultMaxFuture

// maxReplayEntries bounds the replay cache: at most about 10 MB.
const maxReplayEntries = 50_000

// inbox serves the inbox routes.
type inbox struct {
	h    *Handler
	opts httpsig.VerifyOptions
	seen *replayCache
}

// registerInbox adds the inbox routes to mux.
func (h *Handler) registerInbox(mux *http.ServeMux) {
	opts := httpsig.VerifyOptions{}
	opts.Scheme, _, _ = strings.Cut(h.set.BaseURL, "://")
	ib := &inbox{h: h, opts: opts, seen: newReplayCache(ReplayWindow, maxReplayEntries, h.now)}
	mux.HandleFunc("POST /inbox", ib.shared)
	mux.HandleFunc("POST /users/{username}/inbox", ib.personal)
}

func (ib *inbox) shared(w http.ResponseWriter, r *http.Request) { ib.serve(w, r) }

func (ib *inbox) personal(w http.ResponseWriter, r *http.Request) {
	if _, err := ib.h.svc.LocalActor(r.Context(), r.PathValue("username")); err != nil {
		ib.h.fail(w, r, err)
		return
	}
	ib.serve(w, r)
}

// errDropped is an activity from a suspended domain or account.
var errDropped = errors.New("federation: inbox: sender suspended")

// errPolicy is a failure to read the domain blocks.
var errPolicy = errors.New("federation: inbox: domain blocks unavailable")

func (ib *inbox) serve(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > MaxInboxBody {
		ib.h.writeError(w, r, http.StatusRequestEntityTooLarge, "Activity too large")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxInboxBody+1))
	if err != nil {
		ib.h.writeError(w, r, http.StatusBadRequest, "Could not read the request body")
		return
	}
	if len(body) > MaxInboxBody {
		ib.h.writeError(w, r, http.StatusRequestEntityTooLarge, "Activity too large")
		return
	}
	act, err := ap.Decode(body)
	switch {
	case errors.Is(err, ap.ErrTooLarge):
		ib.h.writeError(w, r, http.StatusRequestEntityTooLarge, "Activity too large")
		return
	case err != nil || !act.IsActivity():
		ib.h.writeError(w, r, http.StatusBadRequest, "Not an activity Roost understands")
		return
	}
	if err := ib.checkDomain(r.Context(), act.ActorIRI()); err != nil {
		ib.refuse(w, r, err)
		return
	}
	key, err := ib.verify(r, body)
	if err != nil {
		ib.refuse(w, r, err)
		return
	}
	if act.ActorIRI() != key.Owner {
		ib.h.unauthorized(w, r)
		return
	}
	id := key.Owner + " " + replayKey(act, body)
	if ib.seen.has(id) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	err = ib.h.svc.ReceiveActivity(r.Context(), key.AccountID, act)
	switch {
	case err == nil, errors.Is(err, model.ErrForbidden), errors.Is(err, model.ErrNotFound),
		errors.Is(err, model.ErrShredded):
		ib.seen.add(id)
		w.WriteHeader(http.StatusAccepted)
	case errors.Is(err, model.ErrUnauthorized):
		ib.h.unauthorized(w, r)
	case errors.Is(err, model.ErrInvalid):
		ib.h.writeError(w, r, http.StatusBadRequest, "Activity cannot be applied")
	default:
		ib.h.serverError(w, r, err)
	}
}

// refuse answers a failed domain or signature check.
func (ib *inbox) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errDropped), errors.Is(err, model.ErrForbidden):
		w.WriteHeader(http.StatusAccepted)
	case errors.Is(err, errPolicy):
		ib.h.log.Error("federation: inbox: domain blocks", "err", err)
		w.Header().Set("Retry-After", "60")
		ib.h.writeError(w, r, http.StatusServiceUnavailable, "Try again later")
	default:
		ib.h.unauthorized(w, r)
	}
}

// checkDomain drops what comes from a suspended domain; iri is an actor
// or key id. An iri that is no URL is left to the signature check.
func (ib *inbox) checkDomain(ctx context.Context, iri string) error {
	u, err := url.Parse(iri)
	if err != nil || u.Host == "" {
		return nil
	}
	p, err := ib.h.svc.DomainPolicy(ctx, u.Host)
	if err != nil {
		return fmt.Errorf("%w: %w", errPolicy, err)
	}
	if p.Suspended() {
		return errDropped
	}
	return nil
}

// verify checks the request's signature and returns its key, whose owner
// sent the request. The key's domain is checked before it is looked up.
func (ib *inbox) verify(r *http.Request, body []byte) (*core.RemoteKey, error) {
	var key *core.RemoteKey
	lookup := func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
		if err := ib.checkDomain(ctx, keyID); err != nil {
			return nil, err
		}
		k, err := ib.h.svc.PublicKeyForKeyID(ctx, keyID, refresh)
		if err != nil {
			return nil, err
		}
		pub, err := parseRemoteKey(k)
		if err != nil {
			return nil, err
		}
		key = k
		return pub, nil
	}
	if _, err := httpsig.Verify(r, body, lookup, ib.opts); err != nil {
		return nil, fmt.Errorf("federation: inbox signature: %w", err)
	}
	return key, nil
}

// replayKey names an activity for the replay cache: its id, or the hash
// of the body when it has none. The cache keys it with its signer, so
// that no one can have another actor's activity ignored by sending its id
// first.
func replayKey(act *ap.Object, body []byte) string {
	if act.ID != "" {
		return act.ID
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// replayCache remembers the activities applied recently, so that a
// delivery repeated (by a retrying sender, or replayed by someone who
// captured it) is applied once. It is in memory, per node, bounded by
// count and by age: on a multi-node install a repeat reaching another
// node, or arriving after a restart, is applied again, which the core
// handlers make harmless (they are idempotent: statuses are unique by
// URI, follows and favourites by their pair).
type replayCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	until map[string]time.Time
	queue []string // in insertion order, which is expiry order
}

func newReplayCache(ttl time.Duration, max int, now func() time.Time) *replayCache {
	return &replayCache{ttl: ttl, max: max, now: now, until: map[string]time.Time{}}
}

func (c *replayCache) has(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.until[id]
	return ok && c.now().Before(t)
}

func (c *replayCache) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.until[id]; !ok {
		c.queue = append(c.queue, id)
	}
	c.until[id] = now.Add(c.ttl)
	for len(c.queue) > 0 {
		head := c.queue[0]
		if len(c.queue) <= c.max && c.now().Before(c.until[head]) {
			break
		}
		delete(c.until, head)
		c.queue = c.queue[1:]
	}
}

func (c *replayCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.until)
}
