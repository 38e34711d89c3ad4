package vault_test

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/vault"
)

// Key file tests lower argon2id's costs (vault.UseFastKDF) and so do not
// run in parallel.

func keyPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "roost-data", "master.key")
}

func phrase(s string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(s), nil }
}

func load(t *testing.T, o vault.MasterKeyOptions) vault.MasterKey {
	t.Helper()
	mk, _, err := vault.LoadMasterKey(o)
	if err != nil {
		t.Fatalf("LoadMasterKey: %v", err)
	}
	return mk
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func firstLine(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitN(string(b), "\n", 2)[0]
}

func noTemps(t *testing.T, path string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

func TestLoadMasterKeyCreates(t *testing.T) {
	path := keyPath(t)
	mk, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path})
	if err != nil || !created {
		t.Fatalf("first LoadMasterKey = created %v, %v", created, err)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, path); m != 0o600 {
			t.Fatalf("key file mode %04o, want 0600", m)
		}
		if m := mode(t, filepath.Dir(path)); m != 0o700 {
			t.Fatalf("key directory mode %04o, want 0700", m)
		}
	}
	if got := firstLine(t, path); got != "roost-master-key v1" {
		t.Fatalf("first line %q", got)
	}
	again, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path})
	if err != nil || created || again.ID() != mk.ID() {
		t.Fatalf("reload = %s created %v, %v; want %s, false", again.ID(), created, err, mk.ID())
	}
	noTemps(t, path)
}

func TestLoadMasterKeyFirstStartRace(t *testing.T) {
	path := keyPath(t)
	ids := make([]string, 6)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mk, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path})
			if err != nil {
				t.Error(err)
			}
			ids[i] = mk.ID()
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("racing first starts got different keys: %v", ids)
		}
	}
}

func TestLoadMasterKeyEnv(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 3)
	}
	want, _ := vault.MasterKeyFromBytes(raw)
	path := keyPath(t)
	for _, env := range []string{base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw) + "\n"} {
		mk, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path, Env: env})
		if err != nil || created || mk.ID() != want.ID() {
			t.Fatalf("env key = %s created %v, %v; want %s", mk.ID(), created, err, want.ID())
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an env key was written to disk: %v", err)
	}
	fileKey := load(t, vault.MasterKeyOptions{Path: path})
	if got := load(t, vault.MasterKeyOptions{Path: path, Env: base64.StdEncoding.EncodeToString(raw)}); got.ID() != want.ID() || got.ID() == fileKey.ID() {
		t.Fatal("the env key does not take precedence over the key file")
	}
	short := base64.StdEncoding.EncodeToString(raw[:16])
	_, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Env: short})
	if err == nil || strings.Contains(err.Error(), short) || !strings.Contains(err.Error(), "ROOST_MASTER_KEY") {
		t.Fatalf("short env key = %v, want an error naming the variable, not its value", err)
	}
}

func TestSealedKeyFile(t *testing.T) {
	vault.UseFastKDF(t)
	path := keyPath(t)
	mk := load(t, vault.MasterKeyOptions{Path: path})
	if err := vault.UnsealMasterKeyFile(path, []byte("x")); err == nil {
		t.Fatal("unsealing a plain file succeeded")
	}
	if err := vault.SealMasterKeyFile(path, nil); err == nil {
		t.Fatal("sealing with an empty passphrase succeeded")
	}
	if err := vault.SealMasterKeyFile(path, []byte("correct horse")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if firstLine(t, path) != "roost-master-key v1 sealed" || !strings.Contains(string(b), "kdf argon2id t=1 m=64 p=1 salt=") {
		t.Fatalf("sealed file does not record its header and kdf parameters:\n%s", b)
	}
	if runtime.GOOS != "windows" && mode(t, path) != 0o600 {
		t.Fatalf("sealed file mode %04o", mode(t, path))
	}
	if err := vault.SealMasterKeyFile(path, []byte("again")); err == nil || !strings.Contains(err.Error(), "already sealed") {
		t.Fatalf("sealing twice = %v", err)
	}
	if got := load(t, vault.MasterKeyOptions{Path: path, Passphrase: phrase("correct horse")}); got.ID() != mk.ID() {
		t.Fatal("sealed file gives another key")
	}
	if _, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path}); err == nil || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("sealed file without a passphrase = %v", err)
	}
	_, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path, Passphrase: phrase("wrong horse")})
	if !errors.Is(err, vault.ErrWrongPassphrase) || !strings.Contains(err.Error(), "wrong passphrase") ||
		strings.Contains(err.Error(), "cipher") {
		t.Fatalf("wrong passphrase = %v", err)
	}
	if err := vault.UnsealMasterKeyFile(path, []byte("wrong horse")); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Fatalf("unseal with the wrong passphrase = %v", err)
	}
	if err := vault.UnsealMasterKeyFile(path, []byte("correct horse")); err != nil {
		t.Fatal(err)
	}
	if firstLine(t, path) != "roost-master-key v1" || load(t, vault.MasterKeyOptions{Path: path}).ID() != mk.ID() {
		t.Fatal("unsealed file is not the plain key")
	}
	noTemps(t, path)
}

func TestSealedKeyFileDefaultCosts(t *testing.T) {
	path := keyPath(t)
	mk := load(t, vault.MasterKeyOptions{Path: path})
	if err := vault.SealMasterKeyFile(path, []byte("pw")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "t=3 m=65536 p=4") {
		t.Fatalf("default kdf costs not recorded:\n%s", b)
	}
	if got := load(t, vault.MasterKeyOptions{Path: path, Passphrase: phrase("pw")}); got.ID() != mk.ID() {
		t.Fatal("sealed file gives another key")
	}
}

func TestSealNew(t *testing.T) {
	vault.UseFastKDF(t)
	path := keyPath(t)
	asked := 0
	pass := func() ([]byte, error) { asked++; return []byte("pw"), nil }
	mk, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path, SealNew: true, Passphrase: pass})
	if err != nil || !created {
		t.Fatalf("LoadMasterKey(SealNew) = %v, %v", created, err)
	}
	if asked != 1 || firstLine(t, path) != "roost-master-key v1 sealed" {
		t.Fatalf("asked %d times, first line %q; want once, sealed", asked, firstLine(t, path))
	}
	if load(t, vault.MasterKeyOptions{Path: path, Passphrase: phrase("pw")}).ID() != mk.ID() {
		t.Fatal("reload gives another key")
	}
}

func TestKeyFileOpenToOthersRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := keyPath(t)
	load(t, vault.MasterKeyOptions{Path: path})
	for _, m := range []os.FileMode{0o640, 0o604, 0o620} {
		if err := os.Chmod(path, m); err != nil {
			t.Fatal(err)
		}
		_, _, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path})
		if err == nil || !strings.Contains(err.Error(), "group or others") {
			t.Fatalf("mode %04o: LoadMasterKey = %v, want a refusal", m, err)
		}
	}
}

func TestDamagedKeyFile(t *testing.T) {
	vault.UseFastKDF(t)
	plainPath, sealedPath := keyPath(t), keyPath(t)
	load(t, vault.MasterKeyOptions{Path: plainPath})
	load(t, vault.MasterKeyOptions{Path: sealedPath, SealNew: true, Passphrase: phrase("pw")})
	plain, _ := os.ReadFile(plainPath)
	sealed, _ := os.ReadFile(sealedPath)
	keyLine := strings.Split(string(plain), "\n")[1]
	lines := strings.Split(string(sealed), "\n")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	cases := map[string]string{
		"empty":             "",
		"unknown header":    "roost-master-key v9\n" + keyLine + "\n",
		"truncated plain":   string(plain[:len(plain)/2]),
		"plain bad base64":  "roost-master-key v1\n" + keyLine[:10] + "!!" + keyLine[12:] + "\n",
		"plain extra line":  string(plain) + "junk\n",
		"sealed truncated":  strings.Join(lines[:3], "\n") + "\n",
		"sealed bit flip":   strings.Join([]string{lines[0], lines[1], flip(lines[2], 10), lines[3]}, "\n") + "\n",
		"sealed salt flip":  strings.Join([]string{lines[0], flip(lines[1], len(lines[1])-5), lines[2], lines[3]}, "\n") + "\n",
		"sealed cut in key": string(sealed[:len(lines[0])+len(lines[1])+20]),
	}
	for name, content := range cases {
		path := keyPath(t)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, created, err := vault.LoadMasterKey(vault.MasterKeyOptions{Path: path, Passphrase: phrase("pw")})
		if err == nil || created || errors.Is(err, vault.ErrWrongPassphrase) {
			t.Fatalf("%s: LoadMasterKey = created %v, %v; want a damage error", name, created, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "damaged") && !strings.Contains(msg, "not a Roost master key file") {
			t.Fatalf("%s: error %q does not say the file is damaged", name, msg)
		}
		if strings.Contains(msg, keyLine) || strings.Contains(msg, lines[2]) {
			t.Fatalf("%s: error quotes key material", name)
		}
	}
}

func TestRotateMasterKeyFile(t *testing.T) {
	vault.UseFastKDF(t)
	for _, sealed := range []bool{false, true} {
		path := keyPath(t)
		asked := 0
		o := vault.MasterKeyOptions{Path: path, SealNew: sealed,
			Passphrase: func() ([]byte, error) { asked++; return []byte("pw"), nil }}
		old := load(t, o)
		ks := vault.NewMemKeyStore()
		v := newVault(t, old, ks)
		ct := seal(t, v, 1, bio, "survives rotation")
		blind := v.Blind("email", "x@example.org")
		if err := os.WriteFile(path+".tmp-stale", []byte("old key copy"), 0o600); err != nil {
			t.Fatal(err)
		}
		asked = 0
		next, err := vault.RotateMasterKeyFile(ctx, o, ks)
		if err != nil {
			t.Fatalf("sealed %v: RotateMasterKeyFile: %v", sealed, err)
		}
		if sealed && asked != 1 {
			t.Fatalf("passphrase asked %d times, want once", asked)
		}
		if next.ID() == old.ID() || load(t, o).ID() != next.ID() {
			t.Fatal("the key file does not hold the new key")
		}
		if want := map[bool]string{false: "roost-master-key v1", true: "roost-master-key v1 sealed"}[sealed]; firstLine(t, path) != want {
			t.Fatalf("rotated file starts %q, want %q", firstLine(t, path), want)
		}
		if _, err := os.Stat(path + ".old"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf(".old left after rotation: %v", err)
		}
		noTemps(t, path)
		w := newVault(t, next, ks)
		mustOpen(t, w, 1, bio, ct, "survives rotation")
		if string(w.Blind("email", "x@example.org")) != string(blind) {
			t.Fatal("Blind changed across rotation")
		}
		if _, err := vault.New(ctx, old, ks); !errors.Is(err, vault.ErrWrongMasterKey) {
			t.Fatalf("old key after rotation = %v, want ErrWrongMasterKey", err)
		}
	}
}

// TestRotationRecovery interrupts a rotation after each step and checks
// that starting is refused and that running the rotation again finishes it.
func TestRotationRecovery(t *testing.T) {
	vault.UseFastKDF(t)
	steps := []struct {
		name      string
		interrupt func(t *testing.T, o vault.MasterKeyOptions, ks vault.KeyStore) (next vault.MasterKey)
	}{
		{"after copying to .old", func(t *testing.T, o vault.MasterKeyOptions, _ vault.KeyStore) vault.MasterKey {
			b, _ := os.ReadFile(o.Path)
			if err := os.WriteFile(o.Path+".old", b, 0o600); err != nil {
				t.Fatal(err)
			}
			return vault.MasterKey{}
		}},
		{"after writing the new key", func(t *testing.T, o vault.MasterKeyOptions, _ vault.KeyStore) vault.MasterKey {
			next, _, err := vault.GenerateMasterKeyFile(o)
			if err != nil {
				t.Fatal(err)
			}
			return next
		}},
		{"after re-wrapping", func(t *testing.T, o vault.MasterKeyOptions, ks vault.KeyStore) vault.MasterKey {
			next, prev, err := vault.GenerateMasterKeyFile(o)
			if err != nil {
				t.Fatal(err)
			}
			if err := vault.RewrapKeys(ctx, ks, next, prev); err != nil {
				t.Fatal(err)
			}
			return next
		}},
	}
	for _, step := range steps {
		for _, sealed := range []bool{false, true} {
			o := vault.MasterKeyOptions{Path: keyPath(t), SealNew: sealed, Passphrase: phrase("pw")}
			old := load(t, o)
			ks := vault.NewMemKeyStore()
			ct := seal(t, newVault(t, old, ks), 1, bio, "kept")
			want := step.interrupt(t, o, ks)
			if _, _, err := vault.LoadMasterKey(o); !errors.Is(err, vault.ErrRotationPending) {
				t.Fatalf("%s: LoadMasterKey = %v, want ErrRotationPending", step.name, err)
			}
			if err := vault.SealMasterKeyFile(o.Path, []byte("pw")); !errors.Is(err, vault.ErrRotationPending) {
				t.Fatalf("%s: SealMasterKeyFile = %v, want ErrRotationPending", step.name, err)
			}
			next, err := vault.RotateMasterKeyFile(ctx, o, ks)
			if err != nil {
				t.Fatalf("%s: resume: %v", step.name, err)
			}
			if next.ID() == old.ID() || (want.ID() != "" && next.ID() != want.ID()) {
				t.Fatalf("%s: resumed to key %s, want a new key (%q)", step.name, next.ID(), want.ID())
			}
			if load(t, o).ID() != next.ID() {
				t.Fatalf("%s: key file does not hold the new key", step.name)
			}
			mustOpen(t, newVault(t, next, ks, vault.WithCacheTTL(0)), 1, bio, ct, "kept")
		}
	}
}

func TestRotationFailureKeepsOldKey(t *testing.T) {
	vault.UseFastKDF(t)
	o := vault.MasterKeyOptions{Path: keyPath(t)}
	old := load(t, o)
	ks := vault.NewMemKeyStore()
	ct := seal(t, newVault(t, old, ks), 1, bio, "kept")
	// A key wrapped by a master key nobody has makes the re-wrap fail.
	stranger := masterKey(t)
	if _, err := vault.New(ctx, stranger, vault.NewMemKeyStore()); err != nil {
		t.Fatal(err)
	}
	if err := ks.PutKey(ctx, &vault.WrappedKey{ID: 1, Owner: 2, Period: "2020-01", MasterID: stranger.ID(), Wrapped: make([]byte, 60)}); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.RotateMasterKeyFile(ctx, o, ks); !errors.Is(err, vault.ErrWrongMasterKey) {
		t.Fatalf("RotateMasterKeyFile over a foreign key = %v", err)
	}
	if _, _, err := vault.LoadMasterKey(o); !errors.Is(err, vault.ErrRotationPending) {
		t.Fatalf("after a failed rotation LoadMasterKey = %v, want ErrRotationPending", err)
	}
	mustOpen(t, newVault(t, old, ks, vault.WithCacheTTL(0)), 1, bio, ct, "kept")
}

func TestRotateRefusesEnvKey(t *testing.T) {
	mk := masterKey(t)
	env := base64.StdEncoding.EncodeToString(make([]byte, 32))
	ks := vault.NewMemKeyStore()
	newVault(t, mk, ks)
	_, err := vault.RotateMasterKeyFile(ctx, vault.MasterKeyOptions{Path: keyPath(t), Env: env}, ks)
	if err == nil || !strings.Contains(err.Error(), "ROOST_MASTER_KEY") {
		t.Fatalf("rotating an env key as a file = %v", err)
	}
}
