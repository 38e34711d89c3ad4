package federation

import (
	"net/http"
	"net/url"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// outboxPageSize is how many statuses an outbox page holds, as Mastodon's.
const outboxPageSize = 20

// outbox is GET /users/{username}/outbox. Without paging parameters it is
// the collection: totalItems (the account's status count, as Mastodon
// reports it) and links to the first and last pages. With page=true, and
// max_id or min_id, it is one page of Create activities, newest first, of
// public and unlisted statuses only, whoever asks.
func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	a, ok := h.localActor(w, r)
	if !ok {
		return
	}
	id := h.urls.actor(a.Username) + "/outbox"
	q := r.URL.Query()
	if !q.Has("page") && !q.Has("max_id") && !q.Has("min_id") {
		c := ap.NewOrderedCollection(id, a.StatusesCount, id+"?page=true")
		c.Last = ap.Ref{IRI: id + "?min_id=0&page=true"}
		h.writeObject(w, r, c, cachePublic)
		return
	}
	p, ok := outboxPage(q)
	if !ok {
		h.writeError(w, r, http.StatusBadRequest, "Invalid page parameters")
		return
	}
	l, err := h.svc.OutboxStatuses(r.Context(), a.ID, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]ap.Ref, 0, len(l.Items))
	for _, f := range l.Items {
		c := h.createOf(f)
		items = append(items, ap.Ref{IRI: c.ID, Object: c})
	}
	var next, prev string
	if l.Oldest != 0 {
		next = pageURL(id, "max_id", l.Oldest)
		prev = pageURL(id, "min_id", l.Newest)
	}
	page := ap.NewOrderedCollectionPage(pageID(id, p), id, next, prev, items)
	h.writeObject(w, r, page, cachePublic)
}

// fromOldest is a min_id below every real ID: min_id=0 asks for the
// oldest page.
const fromOldest = 1

// outboxPage reads max_id (older than) and min_id (newer than; 0 for the
// oldest page). Other parameters, page=true among them, are ignored.
func outboxPage(q url.Values) (store.Page, bool) {
	p := store.Page{Limit: outboxPageSize}
	ok := true
	if v := q.Get("max_id"); v != "" {
		if p.MaxID, ok = model.ParseID(v); !ok {
			return p, false
		}
	}
	switch v := q.Get("min_id"); v {
	case "":
	case "0":
		p.MinID = fromOldest
	default:
		if p.MinID, ok = model.ParseID(v); !ok {
			return p, false
		}
	}
	return p, true
}

// pageID names a page by the bound it was asked with.
func pageID(collection string, p store.Page) string {
	switch {
	case p.MaxID != 0:
		return pageURL(collection, "max_id", p.MaxID)
	case p.MinID == fromOldest:
		return pageURL(collection, "min_id", 0)
	case p.MinID != 0:
		return pageURL(collection, "min_id", p.MinID)
	}
	return collection + "?page=true"
}

func pageURL(collection, bound string, id int64) string {
	return collection + "?" + bound + "=" + model.FormatID(id) + "&page=true"
}

// followers is GET /users/{username}/followers: the count alone. Roost
// does not publish who follows whom, as Mastodon does for accounts that
// hide their network.
func (h *Handler) followers(w http.ResponseWriter, r *http.Request) {
	if a, ok := h.localActor(w, r); ok {
		id := h.urls.actor(a.Username) + "/followers"
		h.writeObject(w, r, ap.NewOrderedCollection(id, a.FollowersCount, ""), cachePublic)
	}
}

// following is GET /users/{username}/following: the count alone.
func (h *Handler) following(w http.ResponseWriter, r *http.Request) {
	if a, ok := h.localActor(w, r); ok {
		id := h.urls.actor(a.Username) + "/following"
		h.writeObject(w, r, ap.NewOrderedCollection(id, a.FollowingCount, ""), cachePublic)
	}
}

// featured is GET /users/{username}/collections/featured: the pinned
// public and unlisted statuses, as Notes.
func (h *Handler) featured(w http.ResponseWriter, r *http.Request) {
	a, ok := h.localActor(w, r)
	if !ok {
		return
	}
	fs, err := h.svc.FeaturedStatuses(r.Context(), a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := ap.NewOrderedCollection(h.urls.actor(a.Username)+"/collections/featured", len(fs), "")
	for _, f := range fs {
		n := h.noteOf(f)
		c.Items = append(c.Items, ap.Ref{IRI: n.ID, Object: n})
	}
	h.writeObject(w, r, c, cachePublic)
}

// localActor loads the account a route names, or answers 404.
func (h *Handler) localActor(w http.ResponseWriter, r *http.Request) (*model.Account, bool) {
	a, err := h.svc.LocalActor(r.Context(), r.PathValue("username"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return a, true
}
