package federation

import (
	"errors"
	"net/http"
	"time"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// Key id fragments.
const (
	mainKeyFragment    = "#main-key"
	ed25519KeyFragment = "#ed25519-key"
)

// actor is GET /users/{username}: a Person, or a Service for a bot, as
// Mastodon marks them.
func (h *Handler) actor(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.svc.LocalActor(ctx, r.PathValue("username"))
	if errors.Is(err, model.ErrNotFound) && h.goneActor(w, r, r.PathValue("username")) {
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	keys, err := h.svc.ActorKeys(ctx, a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.personParams(a)
	if err := h.withMoves(ctx, a, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	p.PublicKey, p.AssertionMethods = actorKeys(p.ID, keys.RSAPublicPEM(), keys.Ed25519Public())
	doc := ap.NewPerson(p)
	if a.Bot {
		doc = ap.NewService(p)
	}
	h.writeObject(w, r, doc, cachePublic)
}

// personParams describes a local account, without its keys.
func (h *Handler) personParams(a *model.Account) ap.ActorParams {
	id := h.urls.actor(a.Username)
	p := ap.ActorParams{
		ID: id, Username: a.Username, Name: a.DisplayName,
		Summary:   text.NoteHTML(a.Note, h.textOptions()),
		URL:       h.urls.profile(a.Username),
		Inbox:     id + "/inbox",
		Outbox:    id + "/outbox",
		Followers: id + "/followers",
		Following: id + "/following",
		Featured:  id + "/collections/featured",
		// Mastodon publishes the day an account was made, not the moment.
		Published:    a.CreatedAt.UTC().Truncate(24 * time.Hour),
		SharedInbox:  h.urls.sharedInbox(),
		Locked:       a.Locked,
		Discoverable: a.Discoverable,
		Indexable:    a.Discoverable && !a.NoIndex,
	}
	for _, f := range a.Fields {
		p.Fields = append(p.Fields, ap.ProfileField{Name: f.Name, Value: text.FieldHTML(f.Value)})
	}
	return p
}

// actorKeys describes an actor's RSA key (publicKey, for draft-cavage
// peers) and Ed25519 key (assertionMethod, FEP-521a).
func actorKeys(actorID, rsaPEM string, ed []byte) (ap.PublicKey, []ap.Multikey) {
	pk := ap.PublicKey{ID: actorID + mainKeyFragment, Owner: actorID, PEM: rsaPEM}
	mk := ap.NewMultikey(actorID+ed25519KeyFragment, actorID, ed)
	return pk, []ap.Multikey{mk}
}

// instanceActor is GET /actor: the Service that signs what the server
// fetches on its own behalf. Like Mastodon's, it is named after the domain
// and approves followers by hand (it has none).
func (h *Handler) instanceActor(w http.ResponseWriter, r *http.Request) {
	keys, err := h.svc.ActorKeys(r.Context(), 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id := h.urls.instanceActor()
	p := ap.ActorParams{
		ID: id, Username: h.set.Domain, URL: h.urls.base + "/",
		Inbox: id + "/inbox", Outbox: id + "/outbox", SharedInbox: h.urls.sharedInbox(),
		Locked: true,
	}
	p.PublicKey, p.AssertionMethods = actorKeys(id, keys.RSAPublicPEM(), keys.Ed25519Public())
	h.writeObject(w, r, ap.NewService(p), cachePublic)
}

// instanceOutbox is GET /actor/outbox: always empty.
func (h *Handler) instanceOutbox(w http.ResponseWriter, r *http.Request) {
	id := h.urls.instanceActor() + "/outbox"
	h.writeObject(w, r, ap.NewOrderedCollection(id, 0, ""), cachePublic)
}
