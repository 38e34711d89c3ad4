package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/store/storetest"
	"github.com/roost-social/roost/internal/vault"
)

// scanFiles are the files a copy of the data directory would hold. The WAL
// files are scanned as they are: nothing is checkpointed first, so recent
// writes are still in them.
var scanFiles = []string{"roost.db", "roost.db-wal", "keys.db", "keys.db-wal"}

// readAll returns each file's raw bytes.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range scanFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// TestRawFilesHoldNoPlaintext writes a marker into every encrypted field,
// reads the database files byte by byte and finds none; then it shreds the
// owner's keys and shows that neither the data nor the keys can be read
// back.
func TestRawFilesHoldNoPlaintext(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ks, err := sqlite.OpenKeyStore(filepath.Join(dir, sqlite.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	mk, _ := vault.NewMasterKey()
	v, err := vault.New(ctx, mk, ks)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, dir, v)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	c := storetest.WriteCanaries(t, storetest.Harness{Store: s, Vault: v})
	files := readAll(t, dir)
	for _, clear := range c.Clear {
		if !bytes.Contains(files["roost.db"], []byte(clear)) && !bytes.Contains(files["roost.db-wal"], []byte(clear)) {
			t.Fatalf("the scan cannot see the data: clear marker %q is in no file", clear)
		}
	}
	for field, secret := range c.Secret {
		for name, b := range files {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s in clear in %s", field, name)
			}
		}
	}

	keys, err := ks.OwnerKeys(ctx, c.Owner.ID)
	if err != nil || len(keys) == 0 {
		t.Fatalf("owner has no keys (%v)", err)
	}
	if !bytes.Contains(bytes.Join([][]byte{files["keys.db"], files["keys.db-wal"]}, nil), keys[0].Wrapped) {
		t.Fatal("the scan cannot see the key store: the wrapped key is in neither key file")
	}

	if err := v.Shred(ctx, c.Owner.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Status(ctx, c.StatusID); !errors.Is(err, model.ErrShredded) {
		t.Errorf("status after shred: %v, want ErrShredded", err)
	}
	if _, err := s.Account(ctx, c.Owner.ID); !errors.Is(err, model.ErrShredded) {
		t.Errorf("account after shred: %v, want ErrShredded", err)
	}
	// A fresh vault (a restart, nothing cached) cannot read it either.
	v2, err := vault.New(ctx, mk, ks)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := sqlite.Open(ctx, dir, v2)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.User(ctx, c.Owner.ID); !errors.Is(err, model.ErrShredded) {
		t.Errorf("user after shred and restart: %v, want ErrShredded", err)
	}
	files = readAll(t, dir)
	for _, k := range keys {
		for _, name := range []string{"keys.db", "keys.db-wal"} {
			if bytes.Contains(files[name], k.Wrapped) {
				t.Errorf("shredded key %d still in %s", k.ID, name)
			}
		}
	}
}

// TestFilesArePrivate checks the files' mode.
func TestFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	h, _ := openDir(t, dir)
	storetest.WriteCanaries(t, h)
	for _, name := range scanFiles {
		fi, err := os.Stat(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode&0o077 != 0 {
			t.Errorf("%s has mode %o, want no access for group and others", name, mode)
		}
	}
}
