package storetest

import (
	"crypto/sha256"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func testOAuth(t *testing.T, f *fx) {
	me, other := f.account("me"), f.account("other")
	app := &model.App{Name: "Tusky", Website: "https://tusky.app", Scopes: "read write",
		RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob", "https://app.example/cb"},
		ClientID:     "client-1", ClientSecretHash: hash("secret"), OwnerID: me.ID}
	f.must(f.s.CreateApp(f.ctx, app))
	if app.ID == 0 {
		t.Fatal("app ID not set")
	}
	for _, get := range []func() (*model.App, error){
		func() (*model.App, error) { return f.s.App(f.ctx, app.ID) },
		func() (*model.App, error) { return f.s.AppByClientID(f.ctx, "client-1") },
	} {
		got, err := get()
		f.must(err)
		if got.ID != app.ID || got.Name != "Tusky" || got.Website != app.Website || got.Scopes != "read write" ||
			!slices.Equal(got.RedirectURIs, app.RedirectURIs) || string(got.ClientSecretHash) != string(app.ClientSecretHash) ||
			got.OwnerID != me.ID {
			t.Errorf("app round trip: %+v", got)
		}
	}
	_, err := f.s.AppByClientID(f.ctx, "nope")
	f.is(err, model.ErrNotFound)
	f.is(f.s.CreateApp(f.ctx, &model.App{Name: "dup", ClientID: "client-1", ClientSecretHash: hash("x")}), model.ErrConflict)

	tok := &model.Token{Hash: hash("bearer-1"), AppID: app.ID, AccountID: me.ID, Scopes: "read"}
	f.must(f.s.CreateToken(f.ctx, tok))
	cc := &model.Token{Hash: hash("bearer-cc"), AppID: app.ID, Scopes: "read"} // client_credentials
	f.must(f.s.CreateToken(f.ctx, cc))
	tok2 := &model.Token{Hash: hash("bearer-2"), AppID: app.ID, AccountID: me.ID, Scopes: "write"}
	f.must(f.s.CreateToken(f.ctx, tok2))
	theirs := &model.Token{Hash: hash("bearer-3"), AppID: app.ID, AccountID: other.ID, Scopes: "read"}
	f.must(f.s.CreateToken(f.ctx, theirs))

	got, err := f.s.TokenByHash(f.ctx, hash("bearer-1"))
	f.must(err)
	if got.ID != tok.ID || got.AppID != app.ID || got.AccountID != me.ID || got.Scopes != "read" || got.RevokedAt != nil {
		t.Errorf("token round trip: %+v", got)
	}
	if got, err := f.s.TokenByHash(f.ctx, hash("bearer-cc")); err != nil || got.AccountID != 0 {
		t.Errorf("client token: %+v, %v", got, err)
	}
	f.must(f.s.TouchToken(f.ctx, tok.ID, "2025-03-04"))
	f.must(f.s.TouchToken(f.ctx, tok.ID, "2025-03-04"))
	if got, _ := f.s.TokenByHash(f.ctx, hash("bearer-1")); got.LastUsedDay != "2025-03-04" {
		t.Errorf("last used day = %q", got.LastUsedDay)
	}
	_, err = f.s.TokenByHash(f.ctx, hash("unknown"))
	f.is(err, model.ErrNotFound)

	f.must(f.s.RevokeToken(f.ctx, tok.ID, time.Now()))
	_, err = f.s.TokenByHash(f.ctx, hash("bearer-1"))
	f.is(err, model.ErrNotFound)
	f.must(f.s.RevokeAccountTokens(f.ctx, me.ID, time.Now()))
	_, err = f.s.TokenByHash(f.ctx, hash("bearer-2"))
	f.is(err, model.ErrNotFound)
	for _, h := range []string{"bearer-cc", "bearer-3"} {
		if _, err := f.s.TokenByHash(f.ctx, hash(h)); err != nil {
			t.Errorf("%s revoked with another account's tokens: %v", h, err)
		}
	}
}

func testAuthCodeOnce(t *testing.T, f *fx) {
	me := f.account("me")
	app := &model.App{Name: "a", ClientID: "c", ClientSecretHash: hash("s")}
	f.must(f.s.CreateApp(f.ctx, app))
	exp := time.Now().Add(10 * time.Minute).UTC()
	code := &model.AuthCode{Hash: hash("code-1"), AppID: app.ID, AccountID: me.ID, RedirectURI: "https://cb",
		Scopes: "read write", CodeChallenge: "abc", CodeChallengeMethod: "S256", ExpiresAt: exp}
	f.must(f.s.CreateAuthCode(f.ctx, code))
	got, err := f.s.TakeAuthCode(f.ctx, hash("code-1"))
	f.must(err)
	if got.AppID != app.ID || got.AccountID != me.ID || got.RedirectURI != "https://cb" || got.Scopes != "read write" ||
		got.CodeChallenge != "abc" || got.CodeChallengeMethod != "S256" || !sameTime(got.ExpiresAt, exp) {
		t.Errorf("auth code round trip: %+v", got)
	}
	_, err = f.s.TakeAuthCode(f.ctx, hash("code-1"))
	f.is(err, model.ErrNotFound)

	// Racing takers: exactly one wins.
	f.must(f.s.CreateAuthCode(f.ctx, &model.AuthCode{Hash: hash("code-2"), AppID: app.ID, AccountID: me.ID, ExpiresAt: exp}))
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.s.TakeAuthCode(f.ctx, hash("code-2"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !isNotFound(err):
				t.Errorf("racing take: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d takers got the code, want 1", wins)
	}
}
