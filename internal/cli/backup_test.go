package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestore backs up an SQLite instance, changes it and restores
// the backup: the change is gone. The flags are checked, an existing file
// is never overwritten, and a key-store copy is refused as a data backup.
// (internal/app's TestBackupCannotReviveDeletedAccount is the proof that a
// restored backup cannot bring a deleted account back.)
func TestBackupRestore(t *testing.T) {
	data := []string{"--data-dir", t.TempDir()}
	roost := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), append(args, data...), IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
		return out.String(), errOut.String(), code
	}
	must := func(args ...string) string {
		t.Helper()
		out, e, code := roost(args...)
		if code != 0 {
			t.Fatalf("roost %v: exit %d: %s", args, code, e)
		}
		return out
	}
	must("admin", "create-user", "--username", "kept", "--password", "a-long-enough-password")
	dir := t.TempDir()
	file := filepath.Join(dir, "data.db")
	if out := must("backup", "--to", file); !strings.Contains(out, "restore --from") {
		t.Errorf("backup output:\n%s", out)
	}
	if _, e, code := roost("backup", "--to", file); code != exitError || !strings.Contains(e, "exists") {
		t.Errorf("backup over an existing file: exit %d, %s", code, e)
	}
	keys := filepath.Join(dir, "keys.db")
	if _, e, code := roost("backup", "--keys", "--to", keys); code != exitOK || !strings.Contains(e, "WARNING") {
		t.Errorf("backup --keys: exit %d, %s", code, e)
	}
	must("admin", "create-user", "--username", "later", "--password", "a-long-enough-password")

	if _, _, code := roost("backup"); code != exitUsage {
		t.Errorf("backup without -to: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := roost("restore"); code != exitUsage {
		t.Errorf("restore without -from: exit %d, want %d", code, exitUsage)
	}
	if _, e, code := roost("restore", "--from", keys, "--replace"); code != exitError || !strings.Contains(e, "not a Roost data backup") {
		t.Errorf("restore of the key store: exit %d, %s", code, e)
	}
	if _, e, code := roost("restore", "--from", file); code != exitError || !strings.Contains(e, "--replace") {
		t.Errorf("restore over data without --replace: exit %d, %s", code, e)
	}
	must("restore", "--from", file, "--replace")
	users := must("admin", "list-users")
	if !strings.Contains(users, "kept") || strings.Contains(users, "later") {
		t.Errorf("users after the restore:\n%s", users)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("backup file mode %v, want no access for group and others", fi.Mode())
	}
}
