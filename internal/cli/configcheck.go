package cli

import (
	"context"
	"flag"
	"fmt"
)

func configCheckCmd(*flag.FlagSet) runFunc {
	return func(_ context.Context, r *runner, _ []string) error {
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		fmt.Fprint(r.io.Stdout, cfg.Redacted())
		fmt.Fprintf(r.io.Stderr, "Configuration OK: serving %s\n", cfg.BaseURL())
		return nil
	}
}
