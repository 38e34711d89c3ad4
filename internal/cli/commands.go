package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// runFunc runs a command with its positional arguments, after its flags
// are parsed.
type runFunc func(ctx context.Context, r *runner, args []string) error

// command is one subcommand: a leaf with setup, or a group with sub.
type command struct {
	name    string
	args    string // the positional arguments, for the usage line
	summary string
	nargs   int // exact number of positional arguments; below 0, any (the command checks)
	// setup registers the command's own flags on fs and returns what runs
	// once they are parsed.
	setup func(fs *flag.FlagSet) runFunc
	sub   []*command
}

func commands() []*command {
	return []*command{
		{name: "serve", summary: "run the server", setup: serveCmd},
		{name: "migrate", summary: "create or upgrade the database schema, then exit", setup: migrateCmd},
		{name: "version", summary: "print the version", setup: versionCmd},
		{name: "backup", summary: "back up the data (never the keys) while the server runs; --keys backs up the key store apart", setup: backupCmd},
		{name: "restore", summary: "restore a data backup beside the current key store (server stopped)", setup: restoreCmd},
		{name: "config", summary: "check the configuration", sub: []*command{
			{name: "check", summary: "load and validate the configuration and print it, secrets masked", setup: configCheckCmd},
		}},
		{name: "admin", summary: "manage accounts", sub: adminCommands()},
		{name: "privacy", summary: "the instance's privacy facts", sub: []*command{
			{name: "report", summary: "print the privacy facts the configuration gives, as the server publishes them", setup: privacyReportCmd},
		}},
		{name: "key", summary: "manage the master key", sub: []*command{
			{name: "seal", summary: "seal the master key file with a passphrase asked for at every start", setup: keySealCmd},
			{name: "rotate", summary: "replace the master key and re-wrap every data key (server stopped)", setup: keyRotateCmd},
		}},
	}
}

func findCommand(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (c *command) checkArgs(pos []string) error {
	if c.nargs >= 0 && len(pos) != c.nargs {
		if c.nargs == 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		return usagef("want %d argument(s): %s", c.nargs, c.args)
	}
	return nil
}

func (r *runner) printUsage(w io.Writer) {
	p := r.program()
	fmt.Fprintf(w, "Roost is a privacy-first Mastodon-compatible server.\n\nUsage:\n  %s [flags] command [command flags] [arguments]\n\nCommands:\n", p)
	for _, c := range commands() {
		if len(c.sub) == 0 {
			fmt.Fprintf(w, "  %-24s %s\n", c.name, c.summary)
			continue
		}
		for _, s := range c.sub {
			fmt.Fprintf(w, "  %-24s %s\n", c.name+" "+s.name, s.summary)
		}
	}
	fmt.Fprintf(w, "\nConfiguration flags (each also a ROOST_* variable and a key in the -config file;\nthey may also follow the command):\n")
	r.root.SetOutput(w)
	r.root.PrintDefaults()
	r.root.SetOutput(r.io.Stderr)
}

func printCommands(w io.Writer, prefix string, cmds []*command) {
	fmt.Fprintf(w, "Usage:\n")
	for _, c := range cmds {
		line := strings.TrimSpace(prefix + " " + c.name + " " + c.args)
		fmt.Fprintf(w, "  %-44s %s\n", line, c.summary)
	}
}

func (r *runner) printCommandUsage(c *command, name string, own *flag.FlagSet) {
	w := r.io.Stderr
	fmt.Fprintf(w, "Usage: %s %s [flags] %s\n\n%s.\n", r.program(), name, c.args, capitalize(c.summary))
	n := 0
	own.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		own.SetOutput(w)
		own.PrintDefaults()
	}
	fmt.Fprintf(w, "\nThe configuration flags (%s -help) apply too.\n", r.program())
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
