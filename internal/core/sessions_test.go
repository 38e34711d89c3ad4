package core

import (
	"context"
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

func TestSessions(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	mustCreateUser(t, s, "alice")
	mustCreateUser(t, s, "bob")
	me := mustAuth(t, s, mustToken(t, s, "alice", "read write"))
	second := mustToken(t, s, "alice", "read")
	bob := mustAuth(t, s, mustToken(t, s, "bob", "read"))

	l, err := s.Sessions(ctx, me)
	if err != nil || len(l) != 2 {
		t.Fatalf("sessions = %+v, %v", l, err)
	}
	cur := 0
	for _, v := range l {
		if v.App == nil || v.App.Name != "test" || v.Token.AccountID != me.Account.ID {
			t.Errorf("session = %+v", v)
		}
		if v.Current {
			cur++
			if v.Token.ID != me.Token.ID {
				t.Errorf("current is %d, want %d", v.Token.ID, me.Token.ID)
			}
		}
	}
	if cur != 1 {
		t.Errorf("%d current sessions", cur)
	}
	if err := s.RevokeSession(ctx, bob, me.Token.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("bob revokes alice's token: %v", err)
	}
	if _, err := s.Sessions(ctx, &Auth{}); !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("app-only sessions: %v", err)
	}
	other := l[0].Token.ID
	if other == me.Token.ID {
		other = l[1].Token.ID
	}
	if err := s.RevokeSession(ctx, me, other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, second); !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("revoked token still works: %v", err)
	}
	if err := s.RevokeSession(ctx, me, other); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoke twice: %v", err)
	}
	if _, err := s.Authenticate(ctx, mustToken(t, s, "alice", "read")); err != nil {
		t.Errorf("alice signed out everywhere: %v", err)
	}
}
