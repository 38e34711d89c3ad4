package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/store/sqlite"
)

// privacyReportCmd prints the privacy facts in force: the same facts, from
// the same settings, that the server publishes at /about/privacy, in its
// API and in NodeInfo. Where the instance already has a database, it is
// opened for the settings an admin changed at run time; before that (a new
// instance) the configuration is all there is, and no database is made.
func privacyReportCmd(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the facts as the JSON of /api/v2/instance's roost_privacy")
	return func(ctx context.Context, r *runner, _ []string) error {
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		f := core.PrivacyFacts(app.Settings(cfg))
		if hasDatabase(cfg) {
			if err := r.withService(ctx, func(svc *core.Service) error {
				f = svc.PrivacyFacts()
				return nil
			}); err != nil {
				return err
			}
		}
		if *asJSON {
			enc := json.NewEncoder(r.io.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(f)
		}
		_, err = fmt.Fprint(r.io.Stdout, f.Text())
		return err
	}
}

// hasDatabase reports whether cfg names a database that may hold run-time
// settings: always on PostgreSQL, on SQLite once its file exists.
func hasDatabase(cfg *config.Config) bool {
	if cfg.Database.Driver == config.DriverPostgres {
		return true
	}
	_, err := os.Stat(filepath.Join(cfg.DataDir, sqlite.DataFile))
	return err == nil
}
