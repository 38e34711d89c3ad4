package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func adminCommands() []*command {
	return append([]*command{
		{name: "create-user", summary: "create an approved local account", setup: createUserCmd},
		{name: "set-role", args: "USER ROLE", nargs: 2, summary: "set a user's role: owner, admin, moderator or user", setup: setRoleCmd},
		{name: "reset-password", args: "USER", nargs: 1, summary: "give a user a new random password and print it", setup: resetPasswordCmd},
		{name: "list-users", summary: "list local users, newest first", setup: listUsersCmd},
		{name: "settings", args: "[KEY=VALUE ...]", nargs: -1, summary: "show the settings an admin may change at run time, or change them (KEY=null: back to the configuration)", setup: settingsCmd},
		{name: "approve", args: "USER", nargs: 1, summary: "approve a user who signed up while sign-ups need approval", setup: approveCmd},
		{name: "suspend", args: "USER", nargs: 1, summary: "suspend an account and sign it out everywhere", setup: suspendCmd},
		{name: "forget-unreadable", summary: "after a restore, remove the accounts deleted since the backup (their keys are gone) and reserve their names", setup: forgetUnreadableCmd},
		{name: "delete-user", summary: "delete a local account for good: shred its keys, remove its data, tell other servers", setup: deleteUserCmd},
		{name: "domain-block", summary: "block domains: add, remove, list, import, export", sub: domainBlockCommands()},
	}, holdCommands()...)
}

// withService loads the configuration, opens Roost (migrating it) and runs
// f with the use cases.
func (r *runner) withService(ctx context.Context, f func(*core.Service) error) error {
	cfg, err := r.loadConfig()
	if err != nil {
		return err
	}
	a, err := r.openApp(ctx, cfg, "warn")
	if err != nil {
		return err
	}
	return errors.Join(f(a.Service()), a.Close())
}

func createUserCmd(fs *flag.FlagSet) runFunc {
	username := fs.String("username", "", "the new account's `name` (required)")
	email := fs.String("email", "", "the user's email `address` (optional unless the instance requires one)")
	role := fs.String("role", string(model.RoleUser), "`role`: owner, admin, moderator or user")
	password := fs.String("password", "", "the `password`; when empty a strong one is generated and printed once (a password typed here stays in the shell history)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	return func(ctx context.Context, r *runner, _ []string) error {
		if *username == "" {
			return usagef("-username is required")
		}
		if !model.Role(*role).Valid() {
			return usagef("-role must be owner, admin, moderator or user, got %q", *role)
		}
		pw, generated, err := r.choosePassword(*password, *fromStdin)
		if err != nil {
			return err
		}
		return r.withService(ctx, func(svc *core.Service) error {
			acct, err := svc.CreateUser(ctx, core.NewUser{
				Username: *username, Email: *email, Password: pw, Role: model.Role(*role), Approved: true,
			})
			if err != nil {
				return describe("create user", err)
			}
			fmt.Fprintf(r.io.Stdout, "Created %s %s at %s.\n", *role, acct.Username, svc.Settings().BaseURL)
			if generated {
				fmt.Fprintf(r.io.Stdout, "Password: %s\n(shown only this once; change it after signing in, or run reset-password)\n", pw)
			}
			fmt.Fprintf(r.io.Stdout, "Sign in from a Mastodon app: add the server %s, then sign in as %s.\n",
				svc.Settings().Domain, acct.Username)
			return nil
		})
	}
}

// choosePassword returns the password given, read from stdin, or generated.
func (r *runner) choosePassword(given string, fromStdin bool) (pw string, generated bool, err error) {
	switch {
	case fromStdin && given != "":
		return "", false, usagef("give -password or -password-stdin, not both")
	case fromStdin:
		b, err := r.readLine()
		if err != nil {
			return "", false, fmt.Errorf("read password: %w", err)
		}
		if len(b) == 0 {
			return "", false, errors.New("read password: the first line of standard input is empty")
		}
		return string(b), false, nil
	case given != "":
		return given, false, nil
	}
	return generatePassword(), true, nil
}

// generatePassword returns 24 characters from an alphabet without look-alike
// characters: about 136 bits.
func generatePassword() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 24)
	for i := range b {
		b[i] = alphabet[randIntn(len(alphabet))]
	}
	return string(b)
}

func randIntn(n int) int {
	// Rejection sampling keeps every character equally likely.
	limit := 256 - 256%n
	var b [1]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

func setRoleCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		user, role := args[0], model.Role(args[1])
		if !role.Valid() {
			return usagef("ROLE must be owner, admin, moderator or user, got %q", args[1])
		}
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.SetRole(ctx, user, role); err != nil {
				return describe("set role", err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is now %s.\n", user, role)
			return nil
		})
	}
}

func resetPasswordCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			pw, err := svc.ResetPassword(ctx, args[0])
			if err != nil {
				return describe("reset password", err)
			}
			fmt.Fprintf(r.io.Stdout, "New password for %s: %s\n(shown only this once; the old password and every sign-in are revoked)\n", args[0], pw)
			return nil
		})
	}
}

func approveCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.ApproveUser(ctx, args[0]); err != nil {
				return describe("approve", err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is approved and may sign in.\n", args[0])
			return nil
		})
	}
}

func suspendCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			if err := svc.SuspendAccount(ctx, args[0]); err != nil {
				return describe("suspend", err)
			}
			fmt.Fprintf(r.io.Stdout, "%s is suspended.\n", args[0])
			return nil
		})
	}
}

// listPageSize is how many users list-users fetches at a time.
var listPageSize = 100

func listUsersCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, _ []string) error {
		return r.withService(ctx, func(svc *core.Service) error {
			tw := tabwriter.NewWriter(r.io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tROLE\tAPPROVED\tSUSPENDED\tCREATED")
			page := store.Page{Limit: listPageSize}
			for {
				users, err := svc.UserList(ctx, page)
				if err != nil {
					return describe("list users", err)
				}
				for _, u := range users {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Account.Username, u.User.Role, yesNo(u.User.Approved),
						yesNo(u.Account.SuspendedAt != nil), u.Account.CreatedAt.UTC().Format(time.DateOnly))
				}
				if len(users) < page.Limit {
					break
				}
				page.MaxID = users[len(users)-1].Account.ID
			}
			return tw.Flush()
		})
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// describe words an error from core for the operator: the safe message of a
// validation error, a plain sentence for the common kinds, else the error.
func describe(op string, err error) error {
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		return fmt.Errorf("%s: %s", op, ve.Msg)
	case errors.Is(err, model.ErrNotFound):
		return fmt.Errorf("%s: no such user", op)
	case errors.Is(err, model.ErrConflict):
		return fmt.Errorf("%s: the username or email is already taken", op)
	}
	return fmt.Errorf("%s: %w", op, err)
}
