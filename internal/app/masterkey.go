package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/vault"
)

// SealMasterKey seals cfg's master key file with passphrase. Where there is
// no key file yet it generates one, sealed from the start, and reports
// created.
func SealMasterKey(cfg *config.Config, passphrase []byte) (created bool, err error) {
	if len(passphrase) == 0 {
		return false, errors.New("app: seal master key: empty passphrase")
	}
	if _, err := os.Stat(cfg.MasterKeyFile); errors.Is(err, fs.ErrNotExist) {
		_, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{
			Path:       cfg.MasterKeyFile,
			Passphrase: func() ([]byte, error) { return passphrase, nil },
			SealNew:    true,
		})
		if err != nil {
			return false, fmt.Errorf("app: seal master key: %w", err)
		}
		return created, nil
	}
	if err := vault.SealMasterKeyFile(cfg.MasterKeyFile, passphrase); err != nil {
		return false, fmt.Errorf("app: seal master key: %w", err)
	}
	return false, nil
}

// RotateMasterKey replaces cfg's master key file with a new key and
// re-wraps every data key in the key store under it, without touching the
// data. It must run while the server is stopped; after an interruption,
// running it again finishes the job. It returns the new key's fingerprint.
func RotateMasterKey(ctx context.Context, cfg *config.Config, o Options) (string, error) {
	db, err := openBackend(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer db.close()
	next, err := vault.RotateMasterKeyFile(ctx, vault.MasterKeyOptions{
		Path: cfg.MasterKeyFile, Passphrase: o.Passphrase,
	}, db.keys)
	if err != nil {
		return "", fmt.Errorf("app: rotate master key: %w", err)
	}
	// Prove the new key opens the key store before reporting success.
	if _, err := vault.New(ctx, next, db.keys); err != nil {
		return "", fmt.Errorf("app: rotate master key: check: %w", err)
	}
	return next.ID(), nil
}
