package core

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/testutil/teststore"
)

// Tests hash passwords with cheap argon2id parameters; the production
// parameters are covered by TestPasswordDefaults.
func init() { hashParams = testHashParams }

var testHashParams = argonParams{memory: 64, time: 1, threads: 1, keyLen: 32, saltLen: 16}

// testSettings are the instance settings every core test starts from.
func testSettings() Settings {
	return Settings{
		Domain:         "roost.test",
		BaseURL:        "https://roost.test",
		Title:          "Roost test",
		Description:    "A test instance",
		ContactEmail:   "admin@roost.test",
		Rules:          []string{"Be kind"},
		Languages:      []string{"en"},
		Registration:   model.RegistrationOpen,
		MaxStatusChars: 500,
		ShowPeers:      true,
		ShowActivity:   true,
	}
}

// newTestService returns a Service over a fresh SQLite store in a temporary
// directory, with testSettings. The store closes when the test ends.
func newTestService(t testing.TB) *Service {
	t.Helper()
	return newTestServiceWith(t, testSettings(), nil)
}

// newTestServiceWith is newTestService with given settings and clock (nil:
// time.Now).
func newTestServiceWith(t testing.TB, set Settings, now func() time.Time) *Service {
	t.Helper()
	st, v := teststore.SQLite(t)
	return New(Options{Store: st, Vault: v, Settings: set, Now: now})
}

// mustCreateUser creates an approved local user with role user and the
// password "password-"+username.
func mustCreateUser(t testing.TB, s *Service, username string) *model.Account {
	t.Helper()
	a, err := s.CreateUser(context.Background(), NewUser{
		Username: username,
		Password: "password-" + username,
		Role:     model.RoleUser,
		Approved: true,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return a
}

// testClock is a settable clock for tests of expiry and throttling.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// mustToken signs username in with its test password through a fresh app
// registered with scopes, and returns the bearer token.
func mustToken(t testing.TB, s *Service, username, scopes string) string {
	t.Helper()
	ctx := context.Background()
	app, _, err := s.CreateApp(ctx, NewApp{Name: "test", RedirectURIs: []string{OOBRedirect}, Scopes: scopes})
	if err != nil {
		t.Fatalf("create app: %v", err)
	}
	g, err := s.PasswordGrant(ctx, app, username, "password-"+username, scopes)
	if err != nil {
		t.Fatalf("password grant for %s: %v", username, err)
	}
	return g.AccessToken
}

// mustAuth authenticates a bearer token.
func mustAuth(t testing.TB, s *Service, bearer string) *Auth {
	t.Helper()
	a, err := s.Authenticate(context.Background(), bearer)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return a
}

// fieldCodes returns the field/code pairs of a FieldErrors, or fails.
func fieldCodes(t testing.TB, err error) map[string]string {
	t.Helper()
	var fe FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want FieldErrors", err)
	}
	out := map[string]string{}
	for _, f := range fe {
		out[f.Field] = f.Code
	}
	return out
}
