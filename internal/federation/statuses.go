package federation

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// note is GET /users/{username}/statuses/{id}: the status as a Note.
func (h *Handler) note(w http.ResponseWriter, r *http.Request) {
	if f, ok := h.localStatus(w, r); ok {
		h.writeObject(w, r, h.noteOf(f), statusCache(f))
	}
}

// create is GET /users/{username}/statuses/{id}/activity: the Create that
// published the status.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	if f, ok := h.localStatus(w, r); ok {
		h.writeObject(w, r, h.createOf(f), statusCache(f))
	}
}

// localStatus loads the status a route names, as its requester may see
// it, or answers: 404 for anything missing or hidden, 401 for a
// followers-only or direct status fetched without a verified signature.
func (h *Handler) localStatus(w http.ResponseWriter, r *http.Request) (*core.FederatedStatus, bool) {
	id, ok := model.ParseID(r.PathValue("id"))
	if !ok {
		h.fail(w, r, model.ErrNotFound)
		return nil, false
	}
	viewerID, err := h.requester(r)
	if err != nil {
		h.unauthorized(w, r)
		return nil, false
	}
	f, err := h.svc.LocalStatus(r.Context(), viewerID, r.PathValue("username"), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return f, true
}

// statusCache keeps what only some may read out of shared caches.
func statusCache(f *core.FederatedStatus) string {
	switch f.Status.Visibility {
	case model.VisibilityPublic, model.VisibilityUnlisted:
		return cachePublic
	}
	return "private, no-store"
}

// noteOf renders a local status as Mastodon renders one: addressed by its
// visibility, with its mentions and hashtags as tags.
func (h *Handler) noteOf(f *core.FederatedStatus) *ap.Object {
	st, author := f.Status, f.Account
	actor := h.urls.actor(author.Username)
	p := ap.NoteParams{
		ID:           h.urls.status(author.Username, st.ID),
		URL:          h.urls.statusPage(author.Username, st.ID),
		AttributedTo: actor,
		Content:      st.Content,
		Language:     st.Language,
		Summary:      st.SpoilerText,
		Sensitive:    st.Sensitive,
		Published:    st.CreatedAt,
		Visibility:   st.Visibility,
		Followers:    actor + "/followers",
		Tags:         h.tagsOf(f.StatusView),
	}
	if st.EditedAt != nil {
		p.Updated = *st.EditedAt
	}
	if f.Parent != nil {
		p.InReplyTo = h.urls.statusIRI(f.Parent, f.ParentAccount)
	}
	return ap.NewNote(p)
}

// createOf wraps the status's Note in its Create.
func (h *Handler) createOf(f *core.FederatedStatus) *ap.Object {
	n := h.noteOf(f)
	return ap.NewCreate(n.ID+"/activity", n)
}

// tagsOf lists a status's mentions (which NewNote also addresses) and
// hashtags. A mention is named by the full handle, user@domain, so that
// the name means the same on every server.
func (h *Handler) tagsOf(v *core.StatusView) []ap.Tag {
	var tags []ap.Tag
	for _, a := range v.Mentions {
		href := h.urls.accountIRI(a)
		if href == "" {
			continue
		}
		acct := a.Acct()
		if a.Local() {
			acct += "@" + h.set.Domain
		}
		tags = append(tags, ap.Tag{Type: ap.TypeMention, Href: href, Name: "@" + acct})
	}
	for _, t := range v.Status.Tags {
		tags = append(tags, ap.Tag{Type: ap.TypeHashtag, Href: h.urls.tag(t), Name: "#" + t})
	}
	return tags
}
