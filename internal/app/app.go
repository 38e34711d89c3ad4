// Package app wires Roost together from a *config.Config: the data
// directory, the key store, the master key and the vault, the SQLite or
// PostgreSQL store with its migrations, core's Service, the durable job
// queue and the one http.Handler that serves the Mastodon API, the
// ActivityPub routes and Roost's own small pages. It owns the order things open and close in, and the HTTP
// server's timeouts and graceful shutdown. It holds no business logic.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/jobs"
	"github.com/roost-social/roost/internal/mastoapi"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/ratelimit"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
	"github.com/roost-social/roost/internal/webapp"
	"github.com/roost-social/roost/internal/webpages"
)

// Options are what the configuration file does not hold.
type Options struct {
	// Logger receives the server's log; nil means slog.Default().
	Logger *slog.Logger
	// MasterKey is the value of ROOST_MASTER_KEY (a base64 master key that
	// wins over the key file), or "".
	MasterKey string
	// Passphrase is asked for when the master key file is sealed; nil means
	// no one can be asked, and a sealed key cannot be opened.
	Passphrase func() ([]byte, error)
	// Version is the build's version, which NodeInfo reports; "" reports
	// "unknown".
	Version string
	// Delivery tunes outgoing federation delivery; the zero value is
	// production's (tests shorten its waits).
	Delivery federation.DeliverOptions
	// RescueStuckJobsAfter is how long a job may stay running before the
	// queue takes the process that ran it for dead and works it again;
	// zero is River's hour (tests of a killed server shorten it).
	RescueStuckJobsAfter time.Duration
}

// App is an opened Roost: storage migrated, services built, ready to serve.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	db      *backend
	vault   *vault.Vault
	svc     *core.Service
	queue   *jobs.Queue
	handler http.Handler
	guard   *ratelimit.Guard // rate limits, keyed on HMACs of addresses and tokens
	version string
	// requester verifies signed fetches; pub turns core's events into
	// delivery jobs.
	requester federation.RequesterFunc
	pub       *federation.Publisher
	// periodic are the jobs the queue inserts on a schedule.
	periodic []*river.PeriodicJob
	// NewMasterKey is true when this Open generated the master key file.
	NewMasterKey bool
}

// Open opens everything cfg describes and runs the migrations. The caller
// must Close the App. Open starts no goroutines: Serve starts the HTTP
// server and the job workers.
func Open(ctx context.Context, cfg *config.Config, o Options) (a *App, err error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	a = &App{cfg: cfg, log: o.Logger, version: o.Version}
	if err := prepareDataDir(cfg.DataDir, a.log); err != nil {
		return nil, err
	}
	db, err := openBackend(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a.db = db
	defer func() {
		if err != nil {
			_ = db.close()
		}
	}()
	mk, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{
		Path: cfg.MasterKeyFile, Env: o.MasterKey, Passphrase: o.Passphrase,
	})
	if err != nil {
		return nil, fmt.Errorf("app: master key: %w", err)
	}
	a.NewMasterKey = created
	if created {
		a.log.Warn("generated a new master key; back it up apart from the data, since without it the data cannot be read",
			"file", cfg.MasterKeyFile)
	}
	if a.vault, err = vault.New(ctx, mk, db.keys); err != nil {
		return nil, fmt.Errorf("app: open vault: %w", err)
	}
	if err := db.openStore(ctx, a.vault); err != nil {
		return nil, err
	}
	if err := jobs.Migrate(ctx, db.jobs); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.svc = core.New(core.Options{Store: db.store, Vault: a.vault, Settings: Settings(cfg)})
	a.loadInstanceSettings(ctx)
	workers, err := a.wireRemote(o.Delivery)
	if err != nil {
		return nil, err
	}
	if err := a.wireAccountDeletion(workers); err != nil {
		return nil, err
	}
	if err := a.wireRetention(workers); err != nil {
		return nil, err
	}
	if err := a.wireExports(workers); err != nil {
		return nil, err
	}
	if err := a.wireFeatured(workers); err != nil {
		return nil, err
	}
	if err := a.wireMoves(workers); err != nil {
		return nil, err
	}
	if a.queue, err = jobs.New(db.jobs, workers, jobs.Options{Logger: a.log, DeliveryWorkers: deliveryWorkers,
		Periodic: a.periodic, RescueStuckJobsAfter: o.RescueStuckJobsAfter,
		JobRetention: retention.JobRetention(retention.FromConfig(cfg.Retention))}); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.pub.SetQueue(a.queue)
	a.startExports()
	a.startMoves()
	a.svc.SetPublisher(a.pub)
	if a.guard, err = newGuard(cfg.HTTP.TrustedProxies, a.svc); err != nil {
		return nil, fmt.Errorf("app: http.trusted_proxies: %w", err)
	}
	if a.handler, err = a.newHandler(); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return a, nil
}

// deliveryWorkers is how many deliveries run at once. A delivery mostly
// waits on a remote server, so the queue's default of 20 would leave a
// fan-out waiting on the network; at 100 (with the delivery queue fetching
// every 10 ms, see internal/jobs), a fan-out to 1,000 inboxes is bound by
// the CPU its signatures take (BenchmarkFanOut).
const deliveryWorkers = 100

// Settings turns the configuration into the instance settings core uses.
func Settings(cfg *config.Config) core.Settings {
	return core.Settings{
		Domain:         cfg.Domain,
		BaseURL:        cfg.BaseURL(),
		Title:          cfg.Instance.Title,
		Description:    cfg.Instance.Description,
		ContactEmail:   cfg.Instance.ContactEmail,
		Rules:          cfg.Instance.Rules,
		Languages:      cfg.Instance.Languages,
		Registration:   model.RegistrationMode(cfg.Instance.Registration),
		EmailRequired:  cfg.Instance.EmailRequired,
		MaxStatusChars: cfg.Instance.MaxStatusChars,
		ShowPeers:      cfg.Instance.ShowPeers,
		ShowActivity:   cfg.Instance.ShowActivity,
		Retention:      retention.FromConfig(cfg.Retention),
		ReserveDays:    cfg.Accounts.UsernameReserveDays,
		Privacy:        privacySettings(cfg),
	}
}

func (a *App) newHandler() (http.Handler, error) {
	api := mastoapi.New(a.svc, mastoapi.Options{Logger: a.log})
	web, err := webapp.New(func() string { return a.svc.Settings().Title })
	if err != nil {
		return nil, fmt.Errorf("web client: %w", err)
	}
	fed := federation.New(a.svc, federation.Options{Logger: a.log, Version: a.version, Requester: a.requester})
	s := &site{
		title:   a.cfg.Instance.Title,
		domain:  a.cfg.Domain,
		reg:     a.cfg.Instance.Registration,
		live:    a.liveLanding,
		https:   a.cfg.BehindHTTPSProxy,
		ping:    a.db.ping,
		log:     a.log,
		landing: parseLanding(),
		guard:   a.guard,
		pages:   webpages.New(a.svc, webpages.Options{Logger: a.log}).Wrap,
	}
	return newHandler(s, api, fed.Register, web.Register), nil
}

// Service returns the use cases, for the admin commands.
func (a *App) Service() *core.Service { return a.svc }

// Handler returns everything Roost serves over HTTP.
func (a *App) Handler() http.Handler { return a.handler }

// Queue returns the durable job queue. It inserts jobs at once; it works
// them only while Serve runs.
func (a *App) Queue() *jobs.Queue { return a.queue }

// Store returns the storage, for tests that look under the service.
func (a *App) Store() store.Store { return a.db.store }

// Close closes the store and the key store.
func (a *App) Close() error { return a.db.close() }

// prepareDataDir creates the data directory private to the user (0700), and
// takes group and other access away from an existing one: it holds the
// database, the key store and the master key.
func prepareDataDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("app: data directory %s is not a directory", dir)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("app: data directory: %w", err)
		}
		log.Warn("data directory was open to group or others; made it 0700", "dir", dir)
	}
	return nil
}

// closeAll closes each closer, returning every error.
func closeAll(cs ...io.Closer) error {
	var errs []error
	for _, c := range cs {
		if c != nil {
			if err := c.Close(); err != nil && !errors.Is(err, fs.ErrClosed) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// keyStorePath is where the SQLite key store lives: a file of its own in
// the data directory, so that copying the database file alone never copies
// the keys.
func keyStorePath(cfg *config.Config) string { return filepath.Join(cfg.DataDir, "keys.db") }
