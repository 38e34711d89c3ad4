package sqlstore

import (
	"context"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const userCols = `u.account_id, u.email, u.email_hash, u.password_hash, u.role, u.approved,
	u.reason, u.locale, u.invite_id, u.created_at, u.disabled_at, u.otp_enabled,
	u.failed_logins, u.locked_until, u.last_sign_in_day`

func (s *Store) scanUser(ctx context.Context, sc rowScanner) (*model.User, error) {
	var u model.User
	var email, reason []byte
	err := sc.Scan(&u.AccountID, &email, &u.EmailHash, &u.PasswordHash, &u.Role, &u.Approved,
		&reason, &u.Locale, idCol{&u.InviteID}, timeCol{&u.CreatedAt}, nullTimeCol{&u.DisabledAt},
		&u.OTPEnabled, &u.FailedLogins, nullTimeCol{&u.LockedUntil}, &u.LastSignInDay)
	if err != nil {
		return nil, err
	}
	c := s.cipher(ctx, u.AccountID, "users", u.AccountID)
	u.Email = c.openString("email", email)
	u.Reason = c.openString("reason", reason)
	return &u, c.err
}

func (s *Store) sealUser(ctx context.Context, u *model.User) (email, reason []byte, err error) {
	c := s.cipher(ctx, u.AccountID, "users", u.AccountID)
	email = c.sealString("email", u.Email)
	reason = c.sealString("reason", u.Reason)
	return email, reason, c.err
}

func (s *Store) insertUser(ctx context.Context, c conn, u *model.User) error {
	email, reason, err := s.sealUser(ctx, u)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO users (account_id, email, email_hash, password_hash, role,
		approved, reason, locale, invite_id, created_at, disabled_at, otp_enabled,
		failed_logins, locked_until, last_sign_in_day)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		u.AccountID, nullBytes(email), nullBytes(u.EmailHash), u.PasswordHash, string(u.Role),
		u.Approved, nullBytes(reason), u.Locale, nullID(u.InviteID), micros(u.CreatedAt),
		nullMicros(u.DisabledAt), u.OTPEnabled, u.FailedLogins, nullMicros(u.LockedUntil), u.LastSignInDay)
	return err
}

func (s *Store) User(ctx context.Context, accountID int64) (*model.User, error) {
	r := s.conn().row(ctx, `SELECT `+userCols+` FROM users u WHERE u.account_id = $1`, accountID)
	u, err := s.scanUser(ctx, r)
	return u, s.fail(opID("user", accountID), err)
}

func (s *Store) UserByEmailHash(ctx context.Context, hash []byte) (*model.User, error) {
	if len(hash) == 0 {
		return nil, s.fail("user by email", model.ErrNotFound)
	}
	r := s.conn().row(ctx, `SELECT `+userCols+` FROM users u WHERE u.email_hash = $1`, hash)
	u, err := s.scanUser(ctx, r)
	return u, s.fail("user by email", err)
}

// UpdateUser writes every mutable field; AccountID, InviteID and CreatedAt
// are fixed at creation.
func (s *Store) UpdateUser(ctx context.Context, u *model.User) error {
	email, reason, err := s.sealUser(ctx, u)
	if err != nil {
		return s.fail(opID("update user", u.AccountID), err)
	}
	n, err := s.conn().affected(ctx, `UPDATE users SET email = $2, email_hash = $3, password_hash = $4,
		role = $5, approved = $6, reason = $7, locale = $8, disabled_at = $9, otp_enabled = $10,
		failed_logins = $11, locked_until = $12, last_sign_in_day = $13 WHERE account_id = $1`,
		u.AccountID, nullBytes(email), nullBytes(u.EmailHash), u.PasswordHash, string(u.Role),
		u.Approved, nullBytes(reason), u.Locale, nullMicros(u.DisabledAt), u.OTPEnabled,
		u.FailedLogins, nullMicros(u.LockedUntil), u.LastSignInDay)
	return s.fail(opID("update user", u.AccountID), noRow(n, err))
}

// Users pages by account ID.
func (s *Store) Users(ctx context.Context, p store.Page) ([]*model.User, error) {
	var a args
	where, tail, rev := paging(&a, "u.account_id", p)
	q := `SELECT ` + userCols + ` FROM users u JOIN accounts a ON a.id = u.account_id WHERE TRUE` + where + tail
	rows, err := s.conn().query(ctx, q, a...)
	out, err := collect(rows, err, func(r rowScanner) (*model.User, error) { return s.scanUser(ctx, r) })
	if rev {
		reverse(out)
	}
	return out, s.fail("users", err)
}

func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.conn().row(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, s.fail("count users", err)
}

const inviteCols = `id, code, account_id, max_uses, uses, expires_at, created_at`

func scanInvite(sc rowScanner) (*model.Invite, error) {
	var inv model.Invite
	err := sc.Scan(&inv.ID, &inv.Code, &inv.AccountID, &inv.MaxUses, &inv.Uses,
		nullTimeCol{&inv.ExpiresAt}, timeCol{&inv.CreatedAt})
	return &inv, err
}

func (s *Store) CreateInvite(ctx context.Context, inv *model.Invite) error {
	inv.CreatedAt = s.orNow(inv.CreatedAt)
	inv.ID = newID(inv.ID, inv.CreatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO invites (`+inviteCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		inv.ID, inv.Code, inv.AccountID, inv.MaxUses, inv.Uses, nullMicros(inv.ExpiresAt), micros(inv.CreatedAt))
	return s.fail("create invite", err)
}

// UseInvite counts the use in the same statement that checks the invite, so
// two registrations cannot both take an invite's last use.
func (s *Store) UseInvite(ctx context.Context, code string, now time.Time) (*model.Invite, error) {
	r := s.conn().row(ctx, `UPDATE invites SET uses = uses + 1
		WHERE code = $1 AND (max_uses = 0 OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)
		RETURNING `+inviteCols, code, micros(now))
	inv, err := scanInvite(r)
	if err != nil {
		return nil, s.fail("use invite", err)
	}
	return inv, nil
}
