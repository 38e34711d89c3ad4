package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/roost-social/roost/internal/core"
)

// deleteUserCmd is `roost admin delete-user --username NAME`: the account
// is deleted at once, as by its owner (see core.DeleteUser).
func deleteUserCmd(fs *flag.FlagSet) runFunc {
	username := fs.String("username", "", "the local account to delete, for good (required)")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *username == "" {
			return usagef("-username is required")
		}
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.DeleteUser(ctx, *username); err != nil {
				return describe("delete user", err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is deleted: its keys are shredded and its data removed; other servers are told while "+
				"the server runs. The name stays reserved for %d days.\n", *username, svc.UsernameReserveDays())
			return nil
		})
	}
}

// forgetUnreadableCmd finishes, after `roost restore`, the deletions made
// since the backup was taken (core.ForgetUnreadableAccounts).
func forgetUnreadableCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			gone, err := svc.ForgetUnreadableAccounts(ctx)
			for _, name := range gone {
				fmt.Fprintf(r.io.Stdout, "%s: its keys are gone (deleted after the backup was taken); its rows are removed and the name reserved for %d days.\n",
					name, svc.UsernameReserveDays())
			}
			if err != nil {
				return describe("forget unreadable accounts", err)
			}
			if len(gone) == 0 {
				fmt.Fprintln(r.io.Stdout, "Every local account is readable: nothing to do.")
			}
			return nil
		})
	}
}
