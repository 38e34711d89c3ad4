package store

import (
	"context"

	"github.com/roost-social/roost/internal/model"
)

// AdminAccountFilter narrows the admin's account listing, as Mastodon's
// v1 admin accounts parameters do. Every condition set must hold.
type AdminAccountFilter struct {
	Local     bool   // accounts of this server only
	Remote    bool   // accounts of other servers only
	Pending   bool   // local users awaiting approval
	Active    bool   // not suspended
	Suspended bool   // suspended (by an admin or with their domain)
	Username  string // username prefix, case-insensitive
}

// AdminAccounts is what the admin API reads of accounts.
type AdminAccounts interface {
	// AdminAccounts lists the accounts, local and remote, that match f,
	// newest first, paged by account ID. Shredded accounts are left out.
	AdminAccounts(ctx context.Context, f AdminAccountFilter, p Page) ([]*model.Account, error)
}

// Sessions is what a user's sessions page reads of their tokens.
type Sessions interface {
	// AccountTokens lists the unrevoked tokens of accountID, newest first.
	AccountTokens(ctx context.Context, accountID int64) ([]*model.Token, error)
}
