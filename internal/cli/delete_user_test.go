package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDeleteUser deletes a user with `roost admin delete-user`; the name is
// then reserved, and an unknown or missing name is an error.
func TestDeleteUser(t *testing.T) {
	data := []string{"--data-dir", t.TempDir()}
	roost := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), append(args, data...), IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
		return out.String(), errOut.String(), code
	}
	if _, e, code := roost("admin", "create-user", "--username", "bob", "--password", "a-long-enough-password"); code != 0 {
		t.Fatalf("create-user: %d %s", code, e)
	}
	out, e, code := roost("admin", "delete-user", "--username", "bob")
	if code != 0 || !strings.Contains(out, "bob is deleted") {
		t.Fatalf("delete-user: %d %q %s", code, out, e)
	}
	if out, _, _ := roost("admin", "list-users"); strings.Contains(out, "bob") {
		t.Errorf("list-users after the deletion:\n%s", out)
	}
	if _, e, code := roost("admin", "create-user", "--username", "bob", "--password", "a-long-enough-password"); code == 0 || !strings.Contains(e, "reserved") {
		t.Errorf("create-user of a reserved name: exit %d, %q; want a reserved-name error", code, e)
	}
	if _, _, code := roost("admin", "delete-user", "--username", "bob"); code == 0 {
		t.Error("deleting bob twice succeeded")
	}
	if _, _, code := roost("admin", "delete-user"); code == 0 {
		t.Error("delete-user without -username succeeded")
	}
}
