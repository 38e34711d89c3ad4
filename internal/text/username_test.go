package text

import (
	"errors"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

func TestValidUsername(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"alice", true},
		{"Alice_99", true},
		{"_", true},
		{strings.Repeat("a", 30), true},
		{strings.Repeat("a", 31), false},
		{"", false},
		{"al.ice", false},
		{"al-ice", false},
		{"alice@example.org", false},
		{"ali ce", false},
		{"alicé", false},
		{"ａlice", false},
		{strings.Repeat("é", 20), false},
	}
	for _, tt := range tests {
		err := ValidUsername(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ValidUsername(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
		if err != nil && !errors.Is(err, model.ErrInvalid) {
			t.Errorf("ValidUsername(%q) = %v, want a model.ErrInvalid", tt.in, err)
		}
	}
}

func TestReserved(t *testing.T) {
	for _, u := range []string{"admin", "Admin", "ROOT", "support", "moderator", "roost", "postmaster", "well_known", "inbox"} {
		if !Reserved(u) {
			t.Errorf("Reserved(%q) = false, want true", u)
		}
	}
	for _, u := range []string{"alice", "admin2", "administrat", ""} {
		if Reserved(u) {
			t.Errorf("Reserved(%q) = true, want false", u)
		}
	}
}

// Every reserved name must be one a visitor could otherwise register, or
// the entry is dead weight.
func TestReservedNamesAreValid(t *testing.T) {
	for name := range reserved {
		if err := ValidUsername(name); err != nil {
			t.Errorf("reserved %q is not a valid username: %v", name, err)
		}
	}
}
