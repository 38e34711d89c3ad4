package config

import (
	"strings"
	"testing"
)

// TestUsernameReserveDays checks the default and the range of
// accounts.username_reserve_days.
func TestUsernameReserveDays(t *testing.T) {
	if d := Default().Accounts.UsernameReserveDays; d != DefaultUsernameReserveDays {
		t.Errorf("default = %d, want %d", d, DefaultUsernameReserveDays)
	}
	for _, c := range []struct {
		days int
		ok   bool
	}{{0, false}, {-1, false}, {1, true}, {3650, true}, {3651, false}} {
		err := Accounts{UsernameReserveDays: c.days}.check()
		if (err == nil) != c.ok {
			t.Errorf("%d days: %v, want ok=%v", c.days, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "accounts.username_reserve_days") {
			t.Errorf("%d days: the error does not name the key: %v", c.days, err)
		}
	}
}
