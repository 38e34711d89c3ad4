package mastoapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// maxIdempotencyKey bounds the Idempotency-Key header that is remembered.
const maxIdempotencyKey = 256

// pathID reads the {id} path value. A malformed ID is an unknown record.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := model.ParseID(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
	}
	return id, ok
}

// createStatus is POST /api/v1/statuses.
func (s *Server) createStatus(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	if msg := unsupportedPostParams(p); msg != "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+msg)
		return
	}
	in := core.NewStatus{
		Text: p.String("status"), SpoilerText: p.String("spoiler_text"),
		Visibility: model.Visibility(p.String("visibility")), Language: p.String("language"),
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
	}
	if len(in.IdempotencyKey) > maxIdempotencyKey {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Idempotency-Key is too long")
		return
	}
	if p.Has("sensitive") {
		b := p.Bool("sensitive", false)
		in.Sensitive = &b
	}
	if raw := p.String("in_reply_to_id"); raw != "" {
		if in.InReplyToID, _ = model.ParseID(raw); in.InReplyToID == 0 {
			writeError(w, http.StatusNotFound, replyNotFound)
			return
		}
	}
	v, err := s.svc.PostStatus(r.Context(), a.Account, in)
	if errors.Is(err, core.ErrReplyNotFound) {
		writeError(w, http.StatusNotFound, replyNotFound)
		return
	}
	s.writeStatus(w, r, v, err)
}

// replyNotFound is Mastodon's message for a reply to nothing visible.
const replyNotFound = "The post you are trying to reply to does not appear to exist."

// unsupportedPostParams names what a client asked for that Roost cannot do
// yet, or sent in a shape it cannot read, so that it is refused rather than
// silently dropped.
func unsupportedPostParams(p *params) string {
	if k := p.notScalar("status", "spoiler_text", "visibility", "sensitive", "language", "in_reply_to_id"); k != "" {
		return k + " must be a string"
	}
	switch {
	case len(nonEmpty(p.Strings("media_ids"))) > 0:
		return "Media attachments are not supported yet"
	case len(p.Object("poll")) > 0 || len(nonEmpty(p.Strings("poll[options]"))) > 0:
		return "Polls are not supported yet"
	case p.String("scheduled_at") != "":
		return "Scheduled statuses are not supported yet"
	}
	return ""
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// writeStatus writes a status, or the error that stood in its way.
func (s *Server) writeStatus(w http.ResponseWriter, r *http.Request, v *core.StatusView, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderStatus(v))
}

// getStatus is GET /api/v1/statuses/{id}.
func (s *Server) getStatus(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	if id, ok := pathID(w, r); ok {
		v, err := s.svc.Status(r.Context(), a.ViewerID(), id)
		s.writeStatus(w, r, v, err)
	}
}

// editStatus is PUT /api/v1/statuses/{id}.
func (s *Server) editStatus(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	if msg := unsupportedPostParams(p); msg != "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+msg)
		return
	}
	in := core.StatusEdit{Text: p.String("status")}
	if p.Has("spoiler_text") {
		v := p.String("spoiler_text")
		in.SpoilerText = &v
	}
	if p.Has("sensitive") {
		v := p.Bool("sensitive", false)
		in.Sensitive = &v
	}
	if p.Has("language") {
		v := p.String("language")
		in.Language = &v
	}
	v, err := s.svc.EditStatus(r.Context(), a.Account, id, in)
	s.writeStatus(w, r, v, err)
}

// statusContext is GET /api/v1/statuses/{id}/context.
func (s *Server) statusContext(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	c, err := s.svc.Context(r.Context(), a.ViewerID(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]Status{
		"ancestors":   s.renderStatuses(c.Ancestors),
		"descendants": s.renderStatuses(c.Descendants),
	})
}

// statusHistory is GET /api/v1/statuses/{id}/history.
func (s *Server) statusHistory(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	edits, author, err := s.svc.StatusHistory(r.Context(), a.ViewerID(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]StatusEditEntity, 0, len(edits))
	for _, e := range edits {
		out = append(out, s.renderEdit(e, author))
	}
	writeJSON(w, http.StatusOK, out)
}

// statusSource is GET /api/v1/statuses/{id}/source.
func (s *Server) statusSource(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	st, err := s.svc.StatusSource(r.Context(), a.ViewerID(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, StatusSource{ID: model.FormatID(st.ID), Text: st.Text, SpoilerText: st.SpoilerText})
}

// statusAction is a core action by a viewer on a status that returns the
// status.
type statusAction func(ctx context.Context, viewerID, id int64) (*core.StatusView, error)

// onStatus adapts a statusAction to an endpoint.
func (s *Server) onStatus(act statusAction) handler {
	return func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		if id, ok := pathID(w, r); ok {
			v, err := act(r.Context(), a.ViewerID(), id)
			s.writeStatus(w, r, v, err)
		}
	}
}

// reblog is POST /api/v1/statuses/{id}/reblog; it returns the boost, which
// wraps the boosted status.
func (s *Server) reblog(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	if k := p.notScalar("visibility"); k != "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+k+" must be a string")
		return
	}
	v, err := s.svc.Reblog(r.Context(), a.Account, id, model.Visibility(p.String("visibility")))
	s.writeStatus(w, r, v, err)
}

// interactionLimits are Mastodon's for favourited_by and reblogged_by.
const (
	defaultInteractionLimit = 40
	maxInteractionLimit     = 80
)

// favouritedBy is GET /api/v1/statuses/{id}/favourited_by.
func (s *Server) favouritedBy(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	if id, ok := pathID(w, r); ok {
		l, err := s.svc.FavouritedBy(r.Context(), a.ViewerID(), id, pageWithin(r, defaultInteractionLimit, maxInteractionLimit))
		s.writeAccounts(w, r, l, err)
	}
}

// rebloggedBy is GET /api/v1/statuses/{id}/reblogged_by.
func (s *Server) rebloggedBy(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	if id, ok := pathID(w, r); ok {
		l, err := s.svc.RebloggedBy(r.Context(), a.ViewerID(), id, pageWithin(r, defaultInteractionLimit, maxInteractionLimit))
		s.writeAccounts(w, r, l, err)
	}
}

// writeAccounts writes a page of accounts with its Link header.
func (s *Server) writeAccounts(w http.ResponseWriter, r *http.Request, l *core.Listing[*model.Account], err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Account, 0, len(l.Items))
	for _, acct := range l.Items {
		out = append(out, s.renderAccount(acct))
	}
	setLink(w, r, s.svc.Settings().BaseURL, l.Newest, l.Oldest)
	writeJSON(w, http.StatusOK, out)
}
