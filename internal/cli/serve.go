package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/store"
)

// adminFlags are the configuration flags an admin command needs to reach
// the same instance (where the data is, and its domain for the messages),
// to repeat in the command serve suggests.
var adminFlags = []string{"config", "data-dir", "master-key-file", "database-driver", "domain"}

func serveCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		// Listen first: a taken port fails at once, before any passphrase
		// is asked for or any migration runs.
		ln, err := net.Listen("tcp", cfg.Listen)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		a, err := r.openApp(ctx, cfg, cfg.Log.Level)
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer a.Close()
		if err := r.printWelcome(ctx, cfg, a); err != nil {
			_ = ln.Close()
			return err
		}
		return a.Serve(ctx, ln)
	}
}

// printWelcome tells the operator where the server is and, while there is
// no account yet, the exact command that creates the first admin.
func (r *runner) printWelcome(ctx context.Context, cfg *config.Config, a *app.App) error {
	w := r.io.Stdout
	fmt.Fprintf(w, "Roost is running at %s\n", cfg.BaseURL())
	fmt.Fprintf(w, "Open %s/web/ in a browser to use it, or add the server %s in a Mastodon app.\n", cfg.BaseURL(), cfg.Domain)
	if cfg.BehindHTTPSProxy {
		fmt.Fprintf(w, "It listens on %s; your HTTPS proxy must forward %s to it.\n", cfg.Listen, cfg.Domain)
	}
	users, err := a.Service().UserList(ctx, store.Page{Limit: 1})
	if err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if len(users) == 0 {
		fmt.Fprintf(w, "\nThere are no accounts yet. In another terminal, create the first admin with:\n\n  %s\n\n",
			r.createAdminCommand())
		fmt.Fprintf(w, "then sign in as admin, at %s/web/ or from a Mastodon app, with the password it prints.\n", cfg.BaseURL())
	}
	return nil
}

func (r *runner) createAdminCommand() string {
	parts := []string{r.program(), "admin", "create-user"}
	parts = append(parts, r.givenFlags(adminFlags...)...)
	parts = append(parts, "--username", "admin", "--role", "owner")
	cmd := strings.Join(parts, " ")
	if _, ok := r.given["database-url"]; ok {
		cmd += "   (with the same --database-url)"
	}
	return cmd
}

func migrateCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		a, err := r.openApp(ctx, cfg, "warn")
		if err != nil {
			return err
		}
		if err := a.Close(); err != nil {
			return err
		}
		fmt.Fprintln(r.io.Stdout, "The database is up to date.")
		return nil
	}
}

// openApp opens storage and services, migrating them, with the log at
// level (the configured one for serve; commands keep it to warnings).
func (r *runner) openApp(ctx context.Context, cfg *config.Config, level string) (*app.App, error) {
	return app.Open(ctx, cfg, app.Options{
		Logger:     r.logger(level),
		Version:    versionString(),
		MasterKey:  r.getenv("ROOST_MASTER_KEY"),
		Passphrase: r.passphrase("Passphrase for the master key: "),
	})
}

// logger writes text records to stderr at level.
func (r *runner) logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(r.io.Stderr, &slog.HandlerOptions{Level: l}))
}
