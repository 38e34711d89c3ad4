package config

// Accounts holds the rules for local accounts' life cycle.
type Accounts struct {
	UsernameReserveDays int `toml:"username_reserve_days" help:"days a deleted account's username stays reserved against impersonation before anyone may take it again (1..3650)"`
}

// DefaultUsernameReserveDays is accounts.username_reserve_days' default.
const DefaultUsernameReserveDays = 30

func (a Accounts) check() error {
	if d := a.UsernameReserveDays; d < 1 || d > 3650 {
		return bad("accounts.username_reserve_days", "must be between 1 and 3650, got %d", d)
	}
	return nil
}
