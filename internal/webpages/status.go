package webpages

import (
	"net/http"
	"strconv"

	"github.com/roost-social/roost/internal/model"
)

// statusData fills status.html.
type statusData struct {
	Focus     post
	Ancestors []post
	Replies   []post
}

// statusPage is GET /@{username}/{id}: one local post, public or
// unlisted, with the public and unlisted posts of its thread. Any other
// post (followers-only, direct, deleted, another account's, a boost, a
// remote one) is the same 404 as a missing one, so that the page never
// tells a hidden post exists.
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.localAccount(w, r)
	if !ok {
		return
	}
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if !digits(raw) || err != nil || id <= 0 {
		s.notFound(w)
		return
	}
	v, err := s.svc.Status(r.Context(), 0, id)
	if err != nil {
		s.lookupFailed(w, r, err)
		return
	}
	st := v.Status
	if st.AccountID != a.ID || !st.Local || st.ReblogOfID != 0 ||
		(st.Visibility != model.VisibilityPublic && st.Visibility != model.VisibilityUnlisted) {
		s.notFound(w)
		return
	}
	thread, err := s.svc.Context(r.Context(), 0, id)
	if err != nil {
		s.lookupFailed(w, r, err)
		return
	}
	data := statusData{Focus: s.postOf(v), Ancestors: s.posts(thread.Ancestors), Replies: s.posts(thread.Descendants)}
	data.Focus.Focus = true
	title := data.Focus.Author.Name + ": " + summary(st)
	// Unlisted posts stay out of search engines, as they stay out of
	// public timelines.
	noindex := !indexable(a) || st.Visibility != model.VisibilityPublic
	s.render(w, http.StatusOK, "status.html", head{Title: title, NoIndex: noindex}, data)
}

// summary is a short title for st: its content warning, or the start of
// its text.
func summary(st *model.Status) string {
	t := st.SpoilerText
	if t == "" {
		t = st.Text
	}
	const max = 60
	if r := []rune(t); len(r) > max {
		return string(r[:max]) + "…"
	}
	if t == "" {
		return "post"
	}
	return t
}
