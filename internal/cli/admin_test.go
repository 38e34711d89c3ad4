package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestListUsersPages lists more users than fit on a page.
func TestListUsersPages(t *testing.T) {
	old := listPageSize
	listPageSize = 2
	defer func() { listPageSize = old }()
	data := []string{"--data-dir", t.TempDir()}
	roost := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Run(context.Background(), append(args, data...), IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
		if code != 0 {
			t.Fatalf("roost %v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	for i := range 5 {
		roost("admin", "create-user", "--username", fmt.Sprintf("user%d", i), "--password", "a-long-enough-password")
	}
	lines := strings.Split(strings.TrimSpace(roost("admin", "list-users")), "\n")
	if len(lines) != 6 {
		t.Fatalf("list-users printed %d lines, want a header and 5 users:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for i, line := range lines[1:] {
		if want := fmt.Sprintf("user%d", 4-i); !strings.HasPrefix(line, want+" ") {
			t.Errorf("line %d is %q, want %s first (newest first)", i+1, line, want)
		}
	}
}
