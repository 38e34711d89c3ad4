package federation

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
)

// DeliverMaxAttempts bounds a delivery's attempts: with the default
// backoff (10 s doubling up to 8 h) they span about two days (51 h).
const DeliverMaxAttempts = 18

// Delivery defaults; see DeliverOptions.
const (
	DefaultUnavailableAfter = 3 * 24 * time.Hour
	DefaultProbeEvery       = 6 * time.Hour
	DefaultDeleteWait       = 30 * time.Second
	// pendingCreateLimit is how long a Delete waits behind its Create at
	// most: past it, the Create's retries are over and its record stale.
	pendingCreateLimit = 3 * 24 * time.Hour
	// maxInboxAnswer is how much of an inbox's answer is read.
	maxInboxAnswer = 64 << 10
	activityJSON   = "application/activity+json"
)

// DeliverOptions tunes delivery; the zero value is production's.
type DeliverOptions struct {
	// Logger receives delivery failures by host, never a URL path; nil
	// means slog.Default().
	Logger *slog.Logger
	// UnavailableAfter is how long a host must have failed without a
	// success to be unavailable: its deliveries are then dropped, except
	// one attempt every ProbeEvery, whose success makes it available again.
	UnavailableAfter time.Duration
	ProbeEvery       time.Duration
	// DeleteWait is how long a Delete waits before checking again whether
	// the Create it follows has been delivered.
	DeleteWait time.Duration
	// Backoff is the wait before retrying after failed attempt n (1 for
	// the first); nil means 10 s doubling per attempt, at most 8 h.
	Backoff func(attempt int) time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Deliverer rebuilds activities from the store and POSTs them, signed as
// their local actor, to remote inboxes.
type Deliverer struct {
	svc    *core.Service
	client *outbound.Client
	modes  *httpsig.HostModes
	docs   *Handler
	log    *slog.Logger
	o      DeliverOptions

	builds  builtCache     // recent activities, reused by a fan-out's jobs
	pending pendingRemover // finished Creates' records, removed in groups
}

// NewDeliverer returns a Deliverer sending through client. modes is the
// per-host memory of accepted signature formats, shared with the Fetcher
// (Fetcher.HostModes); nil gives the Deliverer its own.
func NewDeliverer(svc *core.Service, client *outbound.Client, modes *httpsig.HostModes, o DeliverOptions) *Deliverer {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.UnavailableAfter <= 0 {
		o.UnavailableAfter = DefaultUnavailableAfter
	}
	if o.ProbeEvery <= 0 {
		o.ProbeEvery = DefaultProbeEvery
	}
	if o.DeleteWait <= 0 {
		o.DeleteWait = DefaultDeleteWait
	}
	if o.Backoff == nil {
		o.Backoff = defaultBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if modes == nil {
		modes = &httpsig.HostModes{}
	}
	docs := New(svc, Options{Logger: o.Logger, Now: o.Now})
	return &Deliverer{svc: svc, client: client, modes: modes, docs: docs, log: o.Logger, o: o,
		pending: pendingRemover{svc: svc}}
}

// HostModes returns the fetcher's memory of the signature format each
// host accepted, for the Deliverer to share.
func (f *Fetcher) HostModes() *httpsig.HostModes { return f.modes }

func defaultBackoff(attempt int) time.Duration {
	d := 10 * time.Second << min(max(attempt-1, 0), 12)
	return min(d, 8*time.Hour)
}

// Register adds the fan-out worker (of p's events) and the delivery worker
// to workers.
func (d *Deliverer) Register(workers *river.Workers, p *Publisher) error {
	if err := river.AddWorkerSafely(workers, &fanoutWorker{p: p}); err != nil {
		return fmt.Errorf("federation: register fan-out: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &deliverWorker{d: d}); err != nil {
		return fmt.Errorf("federation: register delivery: %w", err)
	}
	return nil
}

// deliverWorker works DeliverArgs.
type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	d *Deliverer
}

// NextRetry spaces a delivery's attempts by the Deliverer's backoff.
func (w *deliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(w.d.o.Backoff(job.Attempt))
}

// Work delivers one activity to one inbox. A nil return completes the job,
// an error retries it, river.JobCancel ends it for good and river.JobSnooze
// puts it off without spending an attempt.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	d, a := w.d, job.Args
	host := hostOf(a.Inbox)
	if host == "" {
		return river.JobCancel(errors.New("federation: deliver: bad inbox"))
	}
	if a.Event == core.EventStatusDeleted {
		since, err := d.svc.PendingCreateSince(ctx, a.StatusID, a.Inbox)
		if err != nil {
			return err
		}
		if !since.IsZero() && d.o.Now().Sub(since) < pendingCreateLimit {
			return river.JobSnooze(d.o.DeleteWait)
		}
	}
	err := d.deliver(ctx, a, host)
	final := err == nil || isCancel(err) || (job.Attempt >= job.MaxAttempts && !isSnooze(err))
	if final && a.Event == core.EventStatusCreated {
		if rerr := d.pending.remove(ctx, a.StatusID, a.Inbox); rerr != nil && err == nil {
			return rerr
		}
	}
	if final && a.Event == core.EventAccountDeleted {
		if rerr := d.deletionDone(ctx, a); rerr != nil && err == nil {
			return rerr
		}
	}
	return err
}

func isCancel(err error) bool {
	var c *river.JobCancelError
	return errors.As(err, &c)
}

func isSnooze(err error) bool {
	var s *river.JobSnoozeError
	return errors.As(err, &s)
}

// deliver builds, signs and POSTs a's activity, and sorts the answer: done
// (2xx, and 410 for an inbox gone), retry (no answer, 5xx, 401, 403, 408,
// 429) or give up (other 4xx). Hosts unavailable for days are skipped but
// for a probe now and then.
func (d *Deliverer) deliver(ctx context.Context, a DeliverArgs, host string) error {
	h, err := d.svc.DeliveryHost(ctx, host)
	if err != nil {
		return err
	}
	now := d.o.Now()
	if h.Failures > 0 && now.Sub(h.FailingSince) >= d.o.UnavailableAfter && now.Sub(h.LastAttempt) < d.o.ProbeEvery {
		return river.JobCancel(fmt.Errorf("federation: deliver: %s unavailable", host))
	}
	if a.Event == core.EventAccountDeleted { // the account row is gone
		return d.deliverDeletion(ctx, a, host, h.Failures > 0)
	}
	b, err := d.builtFor(ctx, a)
	if err != nil || b == nil {
		return err // nil: what it concerns is gone since
	}
	code, retryAfter, err := d.post(ctx, a.Inbox, host, b.body, b.key, b.keyID)
	err = d.settle(ctx, host, h.Failures > 0, code, err)
	if err != nil && !isCancel(err) && (code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable) {
		if wait := d.retryAfter(retryAfter); wait > 0 {
			// The server said when to come back: wait that long instead of
			// the backoff, without spending an attempt. The failure streak
			// grows all the same, so a host that never recovers still
			// becomes unavailable and its jobs end.
			return river.JobSnooze(wait)
		}
	}
	return err
}

// maxRetryAfter bounds how long a Retry-After may put a delivery off; a
// longer one is ignored in favour of the backoff.
const maxRetryAfter = 6 * time.Hour

// retryAfter reads a Retry-After header, in seconds or as an HTTP date: the
// wait it asks for, or 0 when it is absent, unreadable, past or too long.
func (d *Deliverer) retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	var wait time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		wait = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		wait = at.Sub(d.o.Now())
	}
	if wait <= 0 || wait > maxRetryAfter {
		return 0
	}
	return wait
}

// settle records how host answered and turns the answer into the job's
// outcome.
func (d *Deliverer) settle(ctx context.Context, host string, wasFailing bool, code int, err error) error {
	switch {
	case code >= 200 && code < 300, code == http.StatusGone:
		if code == http.StatusGone {
			d.log.Debug("federation: inbox gone", "host", host)
		}
		return d.healthy(ctx, host, wasFailing, nil)
	case code == 0 || code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		if ferr := d.svc.DeliveryFailed(ctx, host); ferr != nil {
			return ferr
		}
		if err == nil {
			err = fmt.Errorf("status %d", code)
		}
		return fmt.Errorf("federation: deliver to %s: %w", host, err)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("federation: deliver to %s: status %d", host, code)
	}
	d.log.Info("federation: delivery refused", "host", host, "status", code)
	return d.healthy(ctx, host, wasFailing, river.JobCancel(fmt.Errorf("federation: deliver to %s: status %d", host, code)))
}

// healthy ends host's failure streak, if it had one, and returns outcome.
func (d *Deliverer) healthy(ctx context.Context, host string, wasFailing bool, outcome error) error {
	if wasFailing {
		if err := d.svc.DeliverySucceeded(ctx, host); err != nil {
			return err
		}
	}
	return outcome
}

// post POSTs body to inbox signed with key, knocking twice (FEP-844e). It
// returns the answer's status and Retry-After header, or 0 and the error
// when there was none.
func (d *Deliverer) post(ctx context.Context, inbox, host string, body []byte, key crypto.Signer, keyID string) (int, string, error) {
	var retryAfter string
	code, err := knock(d.modes, host, func(mode httpsig.Mode) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
		if err != nil {
			return 0, fmt.Errorf("federation: deliver: %w", outbound.ErrURL)
		}
		req.Header.Set("Content-Type", activityJSON)
		req.Header.Set("Accept", activityJSON)
		call := outbound.Call{MaxBytes: maxInboxAnswer, Sign: func(r *http.Request) error {
			return httpsig.SignFor(mode, r, body, key, keyID, d.o.Now())
		}}
		resp, err := d.client.DoCall(req, call)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		retryAfter = resp.Header.Get("Retry-After")
		return resp.StatusCode, nil
	})
	return code, retryAfter, err
}

// knock sends a request signed in the format host is known to accept (RFC
// 9421 unless known otherwise) and, when the answer says the format may
// have been refused, once more in the other; it remembers the format of an
// answer that shows acceptance. send returns the answer's status, 0 when
// there was none.
func knock(modes *httpsig.HostModes, host string, send func(httpsig.Mode) (int, error)) (int, error) {
	mode := modes.Preferred(host)
	code, err := send(mode)
	if code != 0 && httpsig.RetryWithOtherMode(code) {
		mode = mode.Other()
		code, err = send(mode)
	}
	if code != 0 && httpsig.SignatureAccepted(code) {
		modes.Record(host, mode)
	}
	return code, err
}
