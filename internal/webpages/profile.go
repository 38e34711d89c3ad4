package webpages

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// pageSize is how many posts a profile page lists.
const pageSize = 20

// profileData fills profile.html.
type profileData struct {
	Account profile
	Posts   []post
	Pinned  []post  // on the first page only
	MovedTo *author // the account this one moved to, when it did
	Paged   bool    // the page is not the newest one
	Older   string  // link to the next page of older posts; "" on the last
}

// profile is GET /@{username}: a local account's page with its recent
// posts, as anyone signed out sees them. Like the API's account statuses
// for a signed-out caller (and Mastodon's profile page), it lists public
// and unlisted posts and boosts, leaving out replies to others; followers-
// only and direct posts never appear. Paged with ?max_id=.
func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	a, ok := s.localAccount(w, r)
	if !ok {
		return
	}
	maxID, ok := maxIDParam(r)
	if !ok {
		s.notFound(w)
		return
	}
	data, err := s.profilePage(r.Context(), a, maxID)
	if err != nil {
		s.lookupFailed(w, r, err)
		return
	}
	title := data.Account.Name + " (" + data.Account.Handle + ")"
	s.render(w, http.StatusOK, "profile.html", head{Title: title, NoIndex: !indexable(a) || data.Paged}, data)
}

// profilePage gathers the page of a's posts older than maxID (0: the
// newest), with its pinned posts on the first page.
func (s *Server) profilePage(ctx context.Context, a *model.Account, maxID int64) (*profileData, error) {
	// One more than a page, to know whether there is an older one.
	l, err := s.svc.AccountStatuses(ctx, 0, a.ID, store.StatusFilter{ExcludeReplies: true}, store.Page{MaxID: maxID, Limit: pageSize + 1})
	if err != nil {
		return nil, err
	}
	items, older := l.Items, olderKey(l)
	if len(items) > pageSize {
		items = items[:pageSize]
	}
	data := &profileData{Account: s.profileOf(a), Posts: s.posts(items), Paged: maxID != 0}
	if older != 0 {
		data.Older = "/@" + a.Username + "?max_id=" + model.FormatID(older)
	}
	if !data.Paged {
		if data.Pinned, err = s.pinned(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	if a.MovedToID != 0 {
		// A target that cannot be shown (suspended, gone) is left out.
		if to, err := s.svc.Account(ctx, 0, a.MovedToID); err == nil {
			m := s.authorOf(to)
			data.MovedTo = &m
		}
	}
	return data, nil
}

// maxPinned bounds the pinned posts shown; Mastodon allows five.
const maxPinned = 10

// pinned lists the posts account id pinned, as a signed-out viewer may
// see them.
func (s *Server) pinned(ctx context.Context, id int64) ([]post, error) {
	l, err := s.svc.AccountStatuses(ctx, 0, id, store.StatusFilter{Pinned: true}, store.Page{Limit: maxPinned})
	if err != nil {
		return nil, err
	}
	return s.posts(l.Items), nil
}

// olderKey is the max_id of the page after l, fetched with one item more
// than a page; 0 when there is none. The listing's items are what the
// store returned less what the viewer may not see: when rows were left
// out at the end, there may be more, and the next page starts after the
// last row read.
func olderKey(l *core.Listing[*core.StatusView]) int64 {
	n := len(l.Items)
	switch {
	case n > pageSize:
		return l.Items[pageSize-1].Status.ID
	case l.Oldest != 0 && (n == 0 || l.Items[n-1].Status.ID != l.Oldest):
		return l.Oldest
	}
	return 0
}

// maxIDParam reads ?max_id=; absent is 0. Anything but a positive
// number is not a page.
func maxIDParam(r *http.Request) (int64, bool) {
	v := r.URL.Query().Get("max_id")
	if v == "" {
		return 0, true
	}
	if !digits(v) {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

// localAccount finds the local account the path's {handle} ("@name")
// names, or answers: 404 for a malformed handle, an unknown, suspended or
// unapproved account, or a remote one (its page is on its own server);
// 410 for a deleted one whose name is still reserved.
func (s *Server) localAccount(w http.ResponseWriter, r *http.Request) (*model.Account, bool) {
	name, ok := strings.CutPrefix(r.PathValue("handle"), "@")
	if !ok || !plainName(name) {
		s.notFound(w)
		return nil, false
	}
	a, err := s.svc.LocalActor(r.Context(), name)
	if err == nil {
		return a, true
	}
	if !errors.Is(err, model.ErrNotFound) {
		s.failed(w, r, err)
		return nil, false
	}
	if s.deleted(r.Context(), name) {
		s.gone(w)
	} else {
		s.notFound(w)
	}
	return nil, false
}

// deleted reports whether name belonged to a local account deleted
// recently enough that its name is still reserved.
func (s *Server) deleted(ctx context.Context, name string) bool {
	_, err := s.svc.DeletedUsername(ctx, name)
	return err == nil
}

// lookupFailed answers a failed read: not found stays a 404, anything
// else is the server's fault.
func (s *Server) lookupFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, model.ErrNotFound) {
		s.notFound(w)
		return
	}
	s.failed(w, r, err)
}
