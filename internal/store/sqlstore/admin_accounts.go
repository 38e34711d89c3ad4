package sqlstore

import (
	"context"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// adminAccountsMax is the longest admin account page (Mastodon's is 200).
const adminAccountsMax = 200

// AdminAccounts pages by account ID. Remote accounts have no user row, so
// the users join is an outer one; pending implies a local user.
func (s *Store) AdminAccounts(ctx context.Context, f store.AdminAccountFilter, p store.Page) ([]*model.Account, error) {
	var a args
	q := `SELECT ` + accountCols + ` FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE TRUE`
	if f.Local {
		q += ` AND a.domain = ''`
	}
	if f.Remote {
		q += ` AND a.domain <> ''`
	}
	if f.Pending {
		q += ` AND u.approved = FALSE`
	}
	if f.Active {
		q += ` AND a.suspended_at IS NULL`
	}
	if f.Suspended {
		q += ` AND a.suspended_at IS NOT NULL`
	}
	if f.Username != "" {
		q += ` AND a.username_lower LIKE ` + a.add(likePrefix(strings.ToLower(f.Username))) + ` ESCAPE '\'`
	}
	if p.MaxID > 0 {
		q += ` AND a.id < ` + a.add(p.MaxID)
	}
	if p.SinceID > 0 {
		q += ` AND a.id > ` + a.add(p.SinceID)
	}
	order, rev := " DESC", false
	if p.MinID > 0 {
		q += ` AND a.id > ` + a.add(p.MinID)
		order, rev = " ASC", true
	}
	limit := p.Limit
	if limit <= 0 || limit > adminAccountsMax {
		limit = min(max(limit, DefaultLimit), adminAccountsMax)
	}
	q += ` ORDER BY a.id` + order + ` LIMIT ` + a.add(limit)
	out, err := s.accountList(ctx, s.conn(), q, a)
	if rev {
		reverse(out)
	}
	return out, s.fail("admin accounts", err)
}
