package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/jobs"
	"github.com/roost-social/roost/internal/model"
)

// Outgoing delivery runs in two kinds of durable jobs, so that the request
// that caused an event only inserts one row:
//
//   - a fan-out job (FanoutArgs) per event works out the recipients at once
//     and inserts
//   - one delivery job (DeliverArgs) per inbox, which rebuilds the activity
//     from the store when it runs, signs it as the local actor and POSTs it.
//
// Job arguments are kept in clear by River, so they hold ids, public
// ActivityPub ids and inbox URLs only, never text. A delivery job that runs
// after its status is gone delivers nothing.

// FanoutArgs is one event on its way to its recipients.
type FanoutArgs struct {
	Event    core.EventKind `json:"event"`
	ActorID  int64          `json:"actor_id"`
	TargetID int64          `json:"target_id,omitempty"`
	StatusID int64          `json:"status_id,omitempty"`
	// For a deleted status: its public id (remote statuses only; a local
	// one's is derived), visibility, boosted status and mentioned accounts.
	DeletedURI string  `json:"deleted_uri,omitempty"`
	Visibility string  `json:"visibility,omitempty"`
	ReblogOf   int64   `json:"reblog_of,omitempty"`
	Mentioned  []int64 `json:"mentioned,omitempty"`
	// FollowID and FollowURI name the follow an Undo, Accept or Reject
	// answers, read when the event was published (the row may be gone by
	// the time the job runs).
	FollowID  int64  `json:"follow_id,omitempty"`
	FollowURI string `json:"follow_uri,omitempty"`
	// RowID is the favourite's or block's row a Like or Block (and its
	// Undo) is named by; 0 in jobs queued before it was kept.
	RowID int64 `json:"row_id,omitempty"`
	// ReportID is the forwarded report (never its comment).
	ReportID int64 `json:"report_id,omitempty"`
	// Nonce is the event's time in microseconds; it makes the ids of
	// activities that can repeat (a like after an unlike) unique.
	Nonce int64 `json:"nonce"`
}

// Kind implements river.JobArgs.
func (FanoutArgs) Kind() string { return "roost_fanout" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (FanoutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDelivery, MaxAttempts: 10}
}

// DeliverArgs is one activity for one inbox.
type DeliverArgs struct {
	FanoutArgs
	Inbox string `json:"inbox"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "roost_deliver" }

// InsertOpts implements river.JobArgsWithInsertOpts. A fan-out run twice
// (after a crash) inserts each delivery once: deliveries are unique by
// their arguments, which the nonce makes unique per event.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDelivery, MaxAttempts: DeliverMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Publisher is core.Publisher for federation: Publish inserts a fan-out
// job and returns; nothing is delivered inline.
type Publisher struct {
	svc *core.Service
	log *slog.Logger
	now func() time.Time

	mu sync.RWMutex
	q  *jobs.Queue
}

var _ core.Publisher = (*Publisher)(nil)

// NewPublisher returns a Publisher over svc. It enqueues nothing until
// SetQueue gives it the queue (built after its workers, which need it).
func NewPublisher(svc *core.Service, log *slog.Logger) *Publisher {
	if log == nil {
		log = slog.Default()
	}
	return &Publisher{svc: svc, log: log, now: time.Now}
}

// SetQueue installs the job queue events go to.
func (p *Publisher) SetQueue(q *jobs.Queue) {
	p.mu.Lock()
	p.q = q
	p.mu.Unlock()
}

func (p *Publisher) queue() *jobs.Queue {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.q
}

// Publish enqueues e's fan-out. An Undo, Accept or Reject reads the follow
// it answers now, while it still exists; an Undo of a follow that never was
// is dropped.
func (p *Publisher) Publish(ctx context.Context, e core.Event) error {
	q := p.queue()
	if q == nil {
		return nil
	}
	args := FanoutArgs{Event: e.Kind, ActorID: e.ActorID, TargetID: e.TargetID, StatusID: e.StatusID,
		RowID: e.RowID, ReportID: e.ReportID, Nonce: p.now().UnixMicro()}
	if d := e.Deleted; d != nil {
		args.DeletedURI, args.Visibility, args.ReblogOf, args.Mentioned = d.URI, d.Visibility, d.ReblogOf, d.Mentioned
	}
	if from, to, ok := followOf(e); ok {
		f, err := p.svc.DeliveryFollow(ctx, from, to)
		switch {
		case errors.Is(err, model.ErrNotFound):
			return nil
		case err != nil:
			return p.failed(e, err)
		}
		args.FollowID, args.FollowURI = f.ID, f.URI
	}
	if _, err := q.Insert(ctx, args, nil); err != nil {
		return p.failed(e, err)
	}
	return nil
}

func (p *Publisher) failed(e core.Event, err error) error {
	p.log.Error("federation: publish failed", "event", string(e.Kind), "err", err)
	return fmt.Errorf("federation: publish %s: %w", e.Kind, err)
}

// followOf names the follow (follower, followed) an event answers.
func followOf(e core.Event) (from, to int64, ok bool) {
	switch e.Kind {
	case core.EventFollowed, core.EventUnfollowed:
		return e.ActorID, e.TargetID, true
	case core.EventFollowAccepted, core.EventFollowRejected:
		return e.TargetID, e.ActorID, true
	}
	return 0, 0, false
}

// fanoutWorker turns a FanoutArgs into one DeliverArgs per inbox.
type fanoutWorker struct {
	river.WorkerDefaults[FanoutArgs]
	p *Publisher
}

// Work computes the recipients. Creates are recorded as pending before
// their delivery jobs exist, and only while the status still exists, so
// that a Delete of the status can wait for them (see deliverWorker).
func (w *fanoutWorker) Work(ctx context.Context, job *river.Job[FanoutArgs]) error {
	a := job.Args
	if a.Event == core.EventAccountDeleted { // the account row is gone
		return w.fanoutDeletion(ctx, a)
	}
	actor, err := w.p.svc.DeliveryAccount(ctx, a.ActorID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !actor.Local() {
		return nil
	}
	boxes, err := w.p.recipients(ctx, a)
	if errors.Is(err, model.ErrNotFound) {
		return nil // what the event concerns is gone: nothing to say
	}
	if err != nil || len(boxes) == 0 {
		return err
	}
	if a.Event == core.EventStatusCreated {
		if err := w.p.svc.AddPendingCreates(ctx, a.StatusID, boxes); err != nil {
			return err
		}
		if _, err := w.p.svc.DeliveryStatus(ctx, a.StatusID); errors.Is(err, model.ErrNotFound) {
			for _, box := range boxes {
				_ = w.p.svc.RemovePendingCreate(ctx, a.StatusID, box)
			}
			return nil
		}
	}
	q := w.p.queue()
	if q == nil {
		return fmt.Errorf("federation: fan-out: no queue")
	}
	// One batch insert, not one per inbox. A batch of unique jobs must
	// hold distinct ones; those a previous run inserted are skipped.
	batch := make([]river.JobArgs, 0, len(boxes))
	seen := make(map[string]bool, len(boxes))
	for _, box := range boxes {
		if !seen[box] {
			seen[box] = true
			batch = append(batch, DeliverArgs{FanoutArgs: a, Inbox: box})
		}
	}
	_, err = q.InsertMany(ctx, batch)
	return err
}

// recipients lists the inboxes an event goes to: remote ones only, one
// per shared inbox.
func (p *Publisher) recipients(ctx context.Context, a FanoutArgs) ([]string, error) {
	svc := p.svc
	switch a.Event {
	case core.EventStatusCreated, core.EventStatusUpdated:
		f, err := svc.DeliveryStatus(ctx, a.StatusID)
		if err != nil {
			return nil, err
		}
		st := f.Status
		boxes, err := svc.StatusInboxes(ctx, a.ActorID, st.Visibility, core.MentionedIDs(st))
		if err != nil || st.ReblogOfID == 0 {
			return boxes, err
		}
		return p.withAuthorOf(ctx, boxes, st.ReblogOfID)
	case core.EventStatusDeleted:
		boxes, err := svc.StatusInboxes(ctx, a.ActorID, model.Visibility(a.Visibility), a.Mentioned)
		if err != nil || a.ReblogOf == 0 {
			return boxes, err
		}
		return p.withAuthorOf(ctx, boxes, a.ReblogOf)
	case core.EventProfileUpdated:
		return svc.FollowerInboxes(ctx, a.ActorID)
	case core.EventAccountDeleted:
		return svc.DeletedActorInboxes(ctx, a.ActorID)
	case core.EventMoved:
		return p.moveRecipients(ctx, a)
	case core.EventFavourited, core.EventUnfavourited:
		return p.withAuthorOf(ctx, nil, a.StatusID)
	case core.EventReportForwarded:
		return p.reportRecipients(ctx, a)
	case core.EventPinned, core.EventUnpinned:
		return p.pinRecipients(ctx, a)
	case core.EventFollowed, core.EventUnfollowed, core.EventFollowAccepted, core.EventFollowRejected,
		core.EventBlocked, core.EventUnblocked:
		box, err := svc.Inbox(ctx, a.TargetID)
		if err != nil || box == "" {
			return nil, err
		}
		return []string{box}, nil
	}
	return nil, nil
}

// withAuthorOf adds the inbox of status statusID's author, when remote.
func (p *Publisher) withAuthorOf(ctx context.Context, boxes []string, statusID int64) ([]string, error) {
	st, err := p.svc.DeliveryTarget(ctx, statusID)
	if err != nil {
		return nil, err
	}
	box, err := p.svc.Inbox(ctx, st.AccountID)
	if err != nil {
		return nil, err
	}
	if box != "" && !containsString(boxes, box) {
		boxes = append(boxes, box)
	}
	return boxes, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// hostOf is the lower-cased host of an inbox URL.
func hostOf(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
