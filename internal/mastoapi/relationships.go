package mastoapi

import (
	"context"
	"net/http"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Relationship is Mastodon's Relationship entity.
type Relationship struct {
	ID                  string `json:"id"`
	Following           bool   `json:"following"`
	ShowingReblogs      bool   `json:"showing_reblogs"`
	Notifying           bool   `json:"notifying"`
	FollowedBy          bool   `json:"followed_by"`
	Blocking            bool   `json:"blocking"`
	BlockedBy           bool   `json:"blocked_by"`
	Muting              bool   `json:"muting"`
	MutingNotifications bool   `json:"muting_notifications"`
	Requested           bool   `json:"requested"`
	RequestedBy         bool   `json:"requested_by"`
	DomainBlocking      bool   `json:"domain_blocking"`
	Endorsed            bool   `json:"endorsed"`
	Note                string `json:"note"`
}

func renderRelationship(r *model.Relationship) Relationship {
	return Relationship{
		ID: model.FormatID(r.ID), Following: r.Following, ShowingReblogs: r.ShowingReblogs,
		Notifying: r.Notifying, FollowedBy: r.FollowedBy, Blocking: r.Blocking, BlockedBy: r.BlockedBy,
		Muting: r.Muting, MutingNotifications: r.MutingNotifications, Requested: r.Requested,
		RequestedBy: r.RequestedBy, DomainBlocking: r.DomainBlocking, Endorsed: r.Endorsed, Note: r.Note,
	}
}

// relationships is GET /api/v1/accounts/relationships?id[]=.
func (s *Server) relationships(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	ids := queryIDs(r, "id", core.MaxRelationshipIDs)
	rs, err := s.svc.Relationships(r.Context(), a, ids, parseBool(r.URL.Query().Get("with_suspended")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Relationship, 0, len(rs))
	for _, rel := range rs {
		out = append(out, renderRelationship(rel))
	}
	writeJSON(w, http.StatusOK, out)
}

// relAction is a use case that changes the caller's relationship to an
// account and returns the new one.
type relAction func(ctx context.Context, a *core.Auth, id int64) (*model.Relationship, error)

// onAccount adapts a relAction on the path's account to an endpoint.
func (s *Server) onAccount(act relAction) handler {
	return func(w http.ResponseWriter, r *http.Request, a *core.Auth) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		s.writeRelationship(w, r)(act(r.Context(), a, id))
	}
}

func (s *Server) writeRelationship(w http.ResponseWriter, r *http.Request) func(*model.Relationship, error) {
	return func(rel *model.Relationship, err error) {
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, renderRelationship(rel))
	}
}

// follow is POST /api/v1/accounts/:id/follow, with reblogs and notify.
func (s *Server) follow(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	o := core.FollowOptions{Reblogs: optBool(p, "reblogs"), Notify: optBool(p, "notify")}
	s.writeRelationship(w, r)(s.svc.Follow(r.Context(), a, id, o))
}

// mute is POST /api/v1/accounts/:id/mute, with notifications (default
// true) and duration in seconds.
func (s *Server) mute(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	d, err := mutedFor(p)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+err.Error())
		return
	}
	s.writeRelationship(w, r)(s.svc.Mute(r.Context(), a, id, p.Bool("notifications", true), d))
}

// note is POST /api/v1/accounts/:id/note with comment.
func (s *Server) note(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := paramsOf(r)
	s.writeRelationship(w, r)(s.svc.SetNote(r.Context(), a, id, p.String("comment")))
}

// mutedFor reads a mute's duration in seconds (0: indefinite).
func mutedFor(p *params) (time.Duration, error) {
	n, err := p.Int("duration", 0)
	if err != nil {
		return 0, err
	}
	const maxSeconds = 100 * 365 * 24 * 3600
	return time.Duration(min(n, maxSeconds)) * time.Second, nil
}
