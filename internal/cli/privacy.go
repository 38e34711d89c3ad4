package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/core"
)

// privacyReportCmd prints the privacy facts the configuration gives: the
// same facts, from the same settings, that the server publishes at
// /about/privacy, in its API and in NodeInfo. It opens no database.
func privacyReportCmd(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the facts as the JSON of /api/v2/instance's roost_privacy")
	return func(_ context.Context, r *runner, _ []string) error {
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		f := core.PrivacyFacts(app.Settings(cfg))
		if *asJSON {
			enc := json.NewEncoder(r.io.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(f)
		}
		_, err = fmt.Fprint(r.io.Stdout, f.Text())
		return err
	}
}
