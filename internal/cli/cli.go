// Package cli is the roost command line: it parses the subcommands and their
// flags, loads the configuration and hands over to internal/app (to serve or
// migrate) or to core's admin use cases. It prints what a person needs to
// read and nothing else; errors go to stderr and set the exit status.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/roost-social/roost/internal/config"
)

// IO is the outside world a command runs in.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Env is the environment in os.Environ form; configuration reads the
	// ROOST_* variables from it.
	Env []string
	// Program is how the user invoked roost (os.Args[0]), for the commands
	// it suggests; empty means "roost".
	Program string
}

// Main runs the command line of the roost binary and returns its exit
// status. SIGINT and SIGTERM cancel the command's context; `roost serve`
// then shuts down gracefully.
func Main() int {
	restrictUmask()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], IO{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Env: os.Environ(), Program: os.Args[0],
	})
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError is a mistake in how a command was called; it is printed with
// the command's usage and exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Run runs the command line args (without the program name) and returns
// the exit status.
func Run(ctx context.Context, args []string, stdio IO) int {
	r := &runner{io: stdio}
	root := flag.NewFlagSet("roost", flag.ContinueOnError)
	root.SetOutput(stdio.Stderr)
	r.root = root
	r.flags = config.RegisterFlags(root)
	root.Usage = func() { r.printUsage(stdio.Stderr) }
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rest := root.Args()
	if len(rest) == 0 {
		r.printUsage(stdio.Stderr)
		return exitUsage
	}
	if rest[0] == "help" {
		r.printUsage(stdio.Stdout)
		return exitOK
	}
	return r.dispatch(ctx, commands(), rest, nil)
}

// runner carries what every command shares: the streams and the
// configuration flags.
type runner struct {
	io    IO
	root  *flag.FlagSet
	flags *config.Flags
	// given holds the flags set on the command line, root and command
	// flags alike, by name.
	given map[string]string
	stdin *bufio.Reader // created on the first line read
}

func (r *runner) program() string {
	p := r.io.Program
	switch {
	case p == "":
		return "roost"
	case strings.Contains(filepath.ToSlash(p), "/go-build"):
		return "go run ./cmd/roost" // a temporary binary from `go run`
	}
	return p
}

func (r *runner) dispatch(ctx context.Context, cmds []*command, args []string, parents []string) int {
	name := args[0]
	c := findCommand(cmds, name)
	if c == nil {
		fmt.Fprintf(r.io.Stderr, "roost: unknown command %q\n", strings.Join(slices.Concat(parents, []string{name}), " "))
		if len(parents) == 0 {
			r.printUsage(r.io.Stderr)
		} else {
			printCommands(r.io.Stderr, r.program()+" "+strings.Join(parents, " "), cmds)
		}
		return exitUsage
	}
	path := slices.Concat(parents, []string{c.name})
	if len(c.sub) > 0 {
		if len(args) < 2 || args[1] == "-h" || args[1] == "-help" || args[1] == "--help" {
			printCommands(r.io.Stderr, r.program()+" "+strings.Join(path, " "), c.sub)
			if len(args) < 2 {
				return exitUsage
			}
			return exitOK
		}
		return r.dispatch(ctx, c.sub, args[1:], path)
	}
	return r.runLeaf(ctx, c, args[1:], path)
}

func (r *runner) runLeaf(ctx context.Context, c *command, args []string, path []string) int {
	name := strings.Join(path, " ")
	own := flag.NewFlagSet(name, flag.ContinueOnError)
	run := c.setup(own)
	fs := r.merged(own)
	fs.Usage = func() { r.printCommandUsage(c, name, own) }
	pos, err := parseInterspersed(fs, args)
	r.given = map[string]string{}
	for _, set := range []*flag.FlagSet{r.root, fs} {
		set.Visit(func(f *flag.Flag) { r.given[f.Name] = f.Value.String() })
	}
	if err == nil {
		err = c.checkArgs(pos)
	}
	if err == nil {
		err = run(ctx, r, pos)
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(r.io.Stderr, "roost %s: %s\n", name, ue.msg)
		r.printCommandUsage(c, name, own)
		return exitUsage
	case errors.Is(err, errFlagParse):
		return exitUsage // the flag package already said what was wrong
	default:
		fmt.Fprintf(r.io.Stderr, "roost %s: %v\n", name, err)
		return exitError
	}
}

// merged returns a flag set holding the command's own flags and every
// configuration flag, sharing the root set's values, so that
// `roost admin list-users -data-dir x` and `roost -data-dir x admin
// list-users` mean the same.
func (r *runner) merged(own *flag.FlagSet) *flag.FlagSet {
	fs := flag.NewFlagSet(own.Name(), flag.ContinueOnError)
	fs.SetOutput(r.io.Stderr)
	own.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	r.root.VisitAll(func(f *flag.Flag) {
		if fs.Lookup(f.Name) == nil {
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	return fs
}

var errFlagParse = errors.New("bad flags")

// parseInterspersed parses flags that may come before, between or after the
// positional arguments, which it returns; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errFlagParse
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// loadConfig builds the configuration from the file, the environment and
// the flags given.
func (r *runner) loadConfig() (*config.Config, error) {
	return config.Load(r.io.Env, r.flags)
}

// getenv reads a variable from the command's environment.
func (r *runner) getenv(name string) string {
	for _, kv := range r.io.Env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// givenFlags returns the configuration flags set on the command line whose
// names are in keep, as "-name=value" arguments to repeat in a suggested
// command.
func (r *runner) givenFlags(keep ...string) []string {
	var out []string
	for _, k := range keep {
		if v, ok := r.given[k]; ok {
			out = append(out, "--"+k+"="+shellQuote(v))
		}
	}
	return out
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:@=,+", c))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
