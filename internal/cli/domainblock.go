package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// domainBlockCommands are `roost admin domain-block ...`: the instance's
// domain blocks, and Mastodon's domain-blocklist CSV.
func domainBlockCommands() []*command {
	return []*command{
		{name: "add", args: "DOMAIN", nargs: 1, summary: "block a domain and its subdomains, or change its block", setup: domainBlockAddCmd},
		{name: "remove", args: "DOMAIN", nargs: 1, summary: "lift a domain's block", setup: domainBlockRemoveCmd},
		{name: "list", summary: "list the blocked domains", setup: domainBlockListCmd},
		{name: "import", args: "FILE.csv", nargs: 1, summary: "apply a Mastodon domain-blocklist CSV, all or nothing (- reads standard input)", setup: domainBlockImportCmd},
		{name: "export", args: "[FILE]", nargs: -1, summary: "write the blocks as a Mastodon domain-blocklist CSV (standard output without FILE)", setup: domainBlockExportCmd},
	}
}

// describeDomain is describe for the domain-block commands, whose errors
// are printed after the command's name: what, when not "", says where.
func describeDomain(what, domain string, err error) error {
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		err = errors.New(ve.Msg)
	case errors.Is(err, model.ErrNotFound):
		err = fmt.Errorf("%s is not blocked", domain)
	}
	if what == "" {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

func domainBlockAddCmd(fs *flag.FlagSet) runFunc {
	severity := fs.String("severity", "", "`level`: suspend (drop everything), silence (limit) or noop (only the reject flags); required")
	media := fs.Bool("reject-media", false, "do not fetch or show the domain's media")
	reports := fs.Bool("reject-reports", false, "ignore reports from the domain")
	obfuscate := fs.Bool("obfuscate", false, "partly hide the domain where the block list is shown publicly")
	public := fs.String("public-comment", "", "the reason shown publicly and exported")
	private := fs.String("private-comment", "", "a note for the other admins, never exported")
	return func(ctx context.Context, r *runner, args []string) error {
		sev := store.Severity(*severity)
		if !sev.Valid() {
			return usagef("-severity must be suspend, silence or noop, got %q", *severity)
		}
		return r.withService(ctx, func(svc *core.Service) error {
			b, err := svc.AddDomainBlock(ctx, store.DomainBlock{Domain: args[0], Severity: sev, RejectMedia: *media,
				RejectReports: *reports, Obfuscate: *obfuscate, PublicComment: *public, PrivateComment: *private}, true)
			if err != nil {
				return describeDomain("", args[0], err)
			}
			fmt.Fprintf(r.io.Stdout, "%s and its subdomains: %s.\n", b.Domain, b.Severity)
			return nil
		})
	}
}

func domainBlockRemoveCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.RemoveDomainBlock(ctx, args[0]); err != nil {
				return describeDomain("", args[0], err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is no longer blocked.\n", args[0])
			return nil
		})
	}
}

func domainBlockListCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			list, err := svc.AllDomainBlocks(ctx)
			if err != nil {
				return describeDomain("", "", err)
			}
			tw := tabwriter.NewWriter(r.io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DOMAIN\tSEVERITY\tREJECT MEDIA\tREJECT REPORTS\tCREATED\tPUBLIC COMMENT")
			for _, b := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Domain, b.Severity, yesNo(b.RejectMedia),
					yesNo(b.RejectReports), b.CreatedAt.UTC().Format("2006-01-02"), b.PublicComment)
			}
			return tw.Flush()
		})
	}
}

func domainBlockImportCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		var in io.Reader = r.io.Stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				return err // names the file already
			}
			defer f.Close()
			in = f
		}
		return r.withService(ctx, func(svc *core.Service) error {
			sum, err := svc.ImportDomainBlocks(ctx, in)
			if err != nil {
				return describeDomain(args[0], "", err)
			}
			fmt.Fprintf(r.io.Stdout, "Imported %s: %d added, %d updated, %d unchanged.\n",
				args[0], sum.Added, sum.Updated, sum.Unchanged)
			return nil
		})
	}
}

func domainBlockExportCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		if len(args) > 1 {
			return usagef("want at most one FILE")
		}
		return r.withService(ctx, func(svc *core.Service) error {
			var buf bytes.Buffer
			if err := svc.ExportDomainBlocks(ctx, &buf); err != nil {
				return describeDomain("", "", err)
			}
			if len(args) == 0 || args[0] == "-" {
				_, err := r.io.Stdout.Write(buf.Bytes())
				return err
			}
			if err := os.WriteFile(args[0], buf.Bytes(), 0o644); err != nil {
				return err // names the file already
			}
			return nil
		})
	}
}
