package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
)

// keyFileConfig loads the configuration for the key commands, which work on
// the master key file and so refuse a key given in ROOST_MASTER_KEY.
func (r *runner) keyFileConfig() (*config.Config, error) {
	cfg, err := r.loadConfig()
	if err != nil {
		return nil, err
	}
	if r.getenv("ROOST_MASTER_KEY") != "" {
		return nil, errors.New("the master key comes from ROOST_MASTER_KEY, not a file: " +
			"seal or rotate it where that variable is kept, or unset it to use master_key_file")
	}
	return cfg, nil
}

func keySealCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		cfg, err := r.keyFileConfig()
		if err != nil {
			return err
		}
		pass, err := r.newPassphrase()
		if err != nil {
			return fmt.Errorf("passphrase: %w", err)
		}
		created, err := app.SealMasterKey(cfg, pass)
		if err != nil {
			return err
		}
		w := r.io.Stdout
		if created {
			fmt.Fprintf(w, "Generated a new master key, sealed, at %s.\n", cfg.MasterKeyFile)
		} else {
			fmt.Fprintf(w, "Sealed the master key file %s.\n", cfg.MasterKeyFile)
			fmt.Fprintf(w, "The unsealed key may survive in free disk blocks: run `%s key rotate` now, so that it unlocks nothing.\n", r.program())
		}
		fmt.Fprintf(w, "Roost now asks for the passphrase at every start (or reads %s).\n", passphraseEnv)
		fmt.Fprintln(w, "Without the passphrase the data cannot be read: keep it somewhere safe.")
		return nil
	}
}

func keyRotateCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		cfg, err := r.keyFileConfig()
		if err != nil {
			return err
		}
		id, err := app.RotateMasterKey(ctx, cfg, app.Options{
			Logger:     r.logger("warn"),
			Passphrase: r.passphrase("Passphrase for the master key: "),
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(r.io.Stdout, "Rotated the master key: every data key is now wrapped by %s, in %s.\n", id, cfg.MasterKeyFile)
		fmt.Fprintln(r.io.Stdout, "Back up the new key file; the old one no longer opens anything in the current key store.")
		return nil
	}
}
