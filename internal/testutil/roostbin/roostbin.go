// Package roostbin builds the real roost binary for tests that run it as a
// user or an operator would (the CLI, a server killed with SIGKILL).
package roostbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// Path builds cmd/roost once per test binary and returns its path. A
// package that calls it should call Cleanup from TestMain.
func Path(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "roost-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "roost")
		cmd := exec.Command("go", "build", "-o", build.path, "github.com/roost-social/roost/cmd/roost")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.path
}

// Cleanup removes the built binary, if any.
func Cleanup() {
	if build.path != "" {
		_ = os.RemoveAll(filepath.Dir(build.path))
	}
}
