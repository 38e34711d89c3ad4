package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// holdCommands are the legal-hold commands of `roost admin`.
func holdCommands() []*command {
	return []*command{
		{name: "hold", summary: "put an account under a legal hold: retention purges and deletion skip its data until the hold ends", setup: holdCmd},
		{name: "release-hold", summary: "end an account's legal hold", setup: releaseHoldCmd},
		{name: "holds", summary: "list legal holds", setup: holdsCmd},
	}
}

// describeHold words a hold command's error for the operator.
func describeHold(op, acct string, err error) error {
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		return fmt.Errorf("%s: %s", op, ve.Msg)
	case errors.Is(err, model.ErrNotFound):
		return fmt.Errorf("%s: no account %s, or no hold on it", op, acct)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func holdCmd(fs *flag.FlagSet) runFunc {
	username := fs.String("username", "", "the account's `handle`: name for a local account, name@domain for a remote one (required)")
	until := fs.String("until", "", "the `date` (YYYY-MM-DD, UTC) the hold ends at its start (required)")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *username == "" {
			return usagef("-username is required")
		}
		end, err := time.Parse(time.DateOnly, *until)
		if err != nil {
			return usagef("-until must be a date like 2027-01-01, got %q", *until)
		}
		return r.withService(ctx, func(svc *core.Service) error {
			a, err := svc.HoldAccount(ctx, *username, end)
			if err != nil {
				return describeHold("hold", *username, err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is held until %s.\n", a.Acct(), end.Format(time.DateOnly))
			return nil
		})
	}
}

func releaseHoldCmd(fs *flag.FlagSet) runFunc {
	username := fs.String("username", "", "the account's `handle` (required)")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *username == "" {
			return usagef("-username is required")
		}
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.ReleaseAccountHold(ctx, *username); err != nil {
				return describeHold("release-hold", *username, err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is no longer held.\n", *username)
			return nil
		})
	}
}

func holdsCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			holds, err := svc.Holds(ctx)
			if err != nil {
				return describeHold("holds", "", err)
			}
			tw := tabwriter.NewWriter(r.io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ACCOUNT ID\tUNTIL\tSINCE")
			for _, h := range holds {
				fmt.Fprintf(tw, "%d\t%s\t%s\n", h.AccountID, h.Until.UTC().Format(time.DateOnly), h.CreatedAt.UTC().Format(time.DateOnly))
			}
			return tw.Flush()
		})
	}
}
