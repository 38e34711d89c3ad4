package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Delete(Person) of a deleted local account. Its account row is gone by
// the time the fan-out runs, so the fan-out reads the inboxes kept in its
// deletion record, and each delivery signs with the actor key the vault
// keeps until the last delivery ends (core.AccountDeletionDelivered) or
// the signing window passes (AccountDeletionSweepArgs).

// fanoutDeletion inserts one delivery of the Delete per kept inbox.
func (w *fanoutWorker) fanoutDeletion(ctx context.Context, a FanoutArgs) error {
	boxes, err := w.p.recipients(ctx, a)
	if errors.Is(err, model.ErrNotFound) || (err == nil && len(boxes) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	q := w.p.queue()
	if q == nil {
		return fmt.Errorf("federation: fan-out: no queue")
	}
	batch := make([]river.JobArgs, 0, len(boxes))
	for _, box := range boxes {
		batch = append(batch, DeliverArgs{FanoutArgs: a, Inbox: box})
	}
	_, err = q.InsertMany(ctx, batch)
	return err
}

// deletedActor stands in for a deleted account in delivery: its id (the
// signing key's owner) and username (its actor id), from its record.
func (d *Deliverer) deletedActor(ctx context.Context, id int64) (*model.Account, error) {
	rec, err := d.svc.DeletedActor(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.Account{ID: rec.AccountID, Username: rec.Username}, nil
}

// deletePersonOf builds the Delete of actor itself, to the public, as
// Mastodon sends it.
func (d *Deliverer) deletePersonOf(actor *model.Account) *ap.Object {
	me := d.docs.urls.actor(actor.Username)
	return ap.NewDeleteActor(me+"#delete", me)
}

// deliverDeletion delivers the Delete(Person) of a deleted account to one
// inbox, signed with its kept key. A record or key that is gone ends the
// job: the deletion is over.
func (d *Deliverer) deliverDeletion(ctx context.Context, a DeliverArgs, host string, wasFailing bool) error {
	actor, err := d.deletedActor(ctx, a.ActorID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	act, err := d.activity(ctx, actor, a)
	if err != nil {
		return err
	}
	body, err := ap.Marshal(act)
	if err != nil {
		return river.JobCancel(fmt.Errorf("federation: deliver: %w", err))
	}
	keys, err := d.svc.DeletedActorKeys(ctx, actor.ID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	keyID := d.docs.urls.actor(actor.Username) + mainKeyFragment
	code, retryAfter, err := d.post(ctx, a.Inbox, host, body, keys.RSA, keyID)
	err = d.settle(ctx, host, wasFailing, code, err)
	if err != nil && !isCancel(err) && (code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable) {
		if wait := d.retryAfter(retryAfter); wait > 0 {
			return river.JobSnooze(wait)
		}
	}
	return err
}

// deletionDone tells core that the Delete to a.Inbox is over, so that the
// kept key goes after the last one.
func (d *Deliverer) deletionDone(ctx context.Context, a DeliverArgs) error {
	return d.svc.AccountDeletionDelivered(ctx, a.ActorID, a.Inbox)
}

// AccountDeletionSweepArgs runs core.AccountDeletionSweep: it shreds the
// kept keys of deletions whose deliveries are over or whose signing
// window passed, and frees usernames whose reservation ended.
type AccountDeletionSweepArgs struct{}

// Kind implements river.JobArgs.
func (AccountDeletionSweepArgs) Kind() string { return "roost_account_deletion_sweep" }

type accountDeletionSweepWorker struct {
	river.WorkerDefaults[AccountDeletionSweepArgs]
	svc *core.Service
	log *slog.Logger
}

// Work runs one sweep.
func (w *accountDeletionSweepWorker) Work(ctx context.Context, _ *river.Job[AccountDeletionSweepArgs]) error {
	finished, freed, err := w.svc.AccountDeletionSweep(ctx)
	if finished+freed > 0 {
		w.log.Info("federation: account deletion sweep", "finished", finished, "freed", freed)
	}
	return err
}

// RegisterAccountDeletionSweep adds the sweep's worker to workers and
// returns its periodic job, run every interval (an hour when 0).
func RegisterAccountDeletionSweep(workers *river.Workers, svc *core.Service, log *slog.Logger, interval time.Duration) (*river.PeriodicJob, error) {
	if log == nil {
		log = slog.Default()
	}
	if interval <= 0 {
		interval = time.Hour
	}
	if err := river.AddWorkerSafely(workers, &accountDeletionSweepWorker{svc: svc, log: log}); err != nil {
		return nil, fmt.Errorf("federation: register account deletion sweep: %w", err)
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
		return AccountDeletionSweepArgs{}, nil
	}, nil), nil
}

// goneActor answers 410 Gone with a Tombstone for a local username whose
// account was deleted and is still reserved, as Mastodon answers for a
// deleted account; it reports whether it answered.
func (h *Handler) goneActor(w http.ResponseWriter, r *http.Request, username string) bool {
	d, err := h.svc.DeletedUsername(r.Context(), username)
	if err != nil {
		return false
	}
	tomb := ap.NewTombstone(h.urls.actor(d.Username), ap.TypePerson, d.DeletedAt)
	b, err := ap.Marshal(tomb)
	if err != nil {
		return false
	}
	hd := w.Header()
	hd.Set("Content-Type", contentTypeActivity)
	hd.Set("Cache-Control", cachePublic)
	w.WriteHeader(http.StatusGone)
	_, _ = w.Write(b)
	return true
}
