package postgres

import (
	"net/url"
	"testing"
)

// TestLibpqURL: the tools get a URL libpq accepts (pgx's own parameters
// dropped) and the password apart, never on their command line.
func TestLibpqURL(t *testing.T) {
	uri, pw, err := libpqURL("postgres://roost:s3cret@db.example:5433/roost?sslmode=require&search_path=inst&pool_max_conns=8")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if pw != "s3cret" {
		t.Errorf("password %q", pw)
	}
	if _, has := u.User.Password(); has || u.User.Username() != "roost" {
		t.Errorf("user in %s", uri)
	}
	q := u.Query()
	if q.Get("sslmode") != "require" || q.Has("search_path") || q.Has("pool_max_conns") || u.Host != "db.example:5433" || u.Path != "/roost" {
		t.Errorf("libpq URL %s", uri)
	}
	if _, pw, _ := libpqURL("postgres:///roost?password=p%20w"); pw != "p w" {
		t.Errorf("password from the query: %q", pw)
	}
	if _, _, err := libpqURL("host=db user=roost"); err == nil {
		t.Error("a keyword/value DSN was accepted")
	}
}
