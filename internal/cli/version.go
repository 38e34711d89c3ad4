package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release version, set when building a release:
//
//	go build -ldflags "-X github.com/roost-social/roost/internal/cli.Version=v1.2.3" ./cmd/roost
//
// When empty, the version comes from the build information Go records
// (the module version, or the VCS revision of a local build).
var Version string

func versionCmd(*flag.FlagSet) runFunc {
	return func(_ context.Context, r *runner, _ []string) error {
		fmt.Fprintf(r.io.Stdout, "roost %s %s\n", versionString(), runtime.Version())
		return nil
	}
}

// versionString describes this build: the ldflags version, else the module
// version, else "devel" with the VCS revision when Go recorded one.
func versionString() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev + modified
}
