package app

import "testing"

func TestKeySchema(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://u:p@db/roost":                                       "roost_keys",
		"postgres://db/roost?search_path=public":                        "roost_keys",
		"postgres://db/roost?search_path=social":                        "social_keys",
		"postgres://db/roost?sslmode=disable&search_path=social,public": "social_keys",
		"postgres://db/roost?search_path=Bad-Name":                      "roost_keys",
		"postgres://db/roost?search_path=%22%24user%22":                 "roost_keys",
		"host=db dbname=roost":                                          "roost_keys",
	} {
		if got := keySchema(dsn); got != want {
			t.Errorf("keySchema(%q) = %q, want %q", dsn, got, want)
		}
	}
}
