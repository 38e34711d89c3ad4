package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
)

// backupCmd is `roost backup --to PATH [--keys]`: a consistent backup of
// the data (or, apart, of the key store) while the server runs.
func backupCmd(set *flag.FlagSet) runFunc {
	to := set.String("to", "", "the backup `file` to create, or an existing directory to create a dated file in (required)")
	keys := set.Bool("keys", false, "back up the key store instead of the data; such a copy undoes crypto-shredding while it exists")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *to == "" {
			return usagef("-to is required")
		}
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		path, err := app.Backup(ctx, cfg, app.BackupOptions{To: *to, Keys: *keys})
		if err != nil {
			return err
		}
		if *keys {
			r.warnKeyBackup(path)
			return nil
		}
		w := r.io.Stdout
		fmt.Fprintf(w, "Backed up the data to %s.\n", path)
		fmt.Fprintln(w, "It holds no keys: personal fields are ciphertext, readable only beside this instance's key store and master key,")
		fmt.Fprintln(w, "and never again for accounts deleted after it was taken.")
		fmt.Fprintf(w, "Restore it with: %s restore --from %s\n", r.program(), shellQuote(path))
		return nil
	}
}

// warnKeyBackup tells the operator, loudly, what a key-store copy undoes
// and how long it may live.
func (r *runner) warnKeyBackup(path string) {
	fmt.Fprintf(r.io.Stdout, "Backed up the key store to %s.\n", path)
	fmt.Fprintf(r.io.Stderr, `
WARNING: this file undoes crypto-shredding for as long as it exists.
With it and the master key, every data backup can be decrypted again,
including accounts deleted and data purged after it was taken.
Destroy it within %d days (sooner if a retention period is shorter), keep it
apart from the data backups, and keep only the latest one. Rotating the
master key (roost key rotate) also makes every older key-store copy useless.
`, app.KeyBackupMaxDays)
}

// restoreCmd is `roost restore --from FILE [--replace]`: a data backup put
// back beside the key store as it is now.
func restoreCmd(set *flag.FlagSet) runFunc {
	from := set.String("from", "", "the data backup `file` made by roost backup (required)")
	replace := set.Bool("replace", false, "replace the data there is now, which is lost")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *from == "" {
			return usagef("-from is required")
		}
		cfg, err := r.loadConfig()
		if err != nil {
			return err
		}
		if err := app.Restore(ctx, cfg, *from, *replace); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%w\nStop the server, and pass --replace to overwrite the data there is now", err)
			}
			return err
		}
		w := r.io.Stdout
		fmt.Fprintf(w, "Restored the data from %s beside the current key store (%s).\n", *from, keyStoreName(cfg))
		fmt.Fprintln(w, "Accounts deleted since the backup was taken cannot be decrypted: their keys are gone.")
		fmt.Fprintf(w, "Remove their rows and reserve their names again with %s admin forget-unreadable.\n", r.program())
		fmt.Fprintf(w, "Start the server with %s serve; it upgrades the restored schema if needed.\n", r.program())
		return nil
	}
}

func keyStoreName(cfg *config.Config) string {
	if cfg.Database.Driver == config.DriverPostgres {
		return "its own schema"
	}
	return "keys.db"
}
