package cli

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	cases := []struct {
		args     []string
		wantPos  []string
		wantDir  string
		wantBool bool
	}{
		{[]string{"alice", "admin"}, []string{"alice", "admin"}, "", false},
		{[]string{"-dir", "d", "alice", "admin"}, []string{"alice", "admin"}, "d", false},
		{[]string{"alice", "--dir=d", "admin", "-v"}, []string{"alice", "admin"}, "d", true},
		{[]string{"alice", "--", "-v", "--dir=x"}, []string{"alice", "-v", "--dir=x"}, "", false},
		{nil, nil, "", false},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		dir := fs.String("dir", "", "")
		v := fs.Bool("v", false, "")
		pos, err := parseInterspersed(fs, c.args)
		if err != nil || !slices.Equal(pos, c.wantPos) || *dir != c.wantDir || *v != c.wantBool {
			t.Errorf("%q: pos %q dir %q v %v err %v; want %q %q %v", c.args, pos, *dir, *v, err, c.wantPos, c.wantDir, c.wantBool)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := parseInterspersed(fs, []string{"alice", "-nope"}); err == nil {
		t.Error("an unknown flag after an argument was accepted")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"./roost-data":     "./roost-data",
		"/srv/roost data":  "'/srv/roost data'",
		"it's":             `'it'\''s'`,
		"":                 "''",
		"postgres://a@b/c": "postgres://a@b/c",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestGeneratedPasswords(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := generatePassword()
		if len(p) != 24 || seen[p] {
			t.Fatalf("generated %q (seen before: %v)", p, seen[p])
		}
		seen[p] = true
	}
}
