package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// TestDeleteOwnAccount: a wrong password deletes nothing; the right one
// deletes the account, reserves its name for ReserveDays and frees it
// after, and with no remote inbox to tell finishes at once, keys and all.
func TestDeleteOwnAccount(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	set := testSettings()
	set.ReserveDays = 7
	s := newTestServiceWith(t, set, clock.Now)
	pub := &recordingPublisher{}
	s.SetPublisher(pub)
	bob := mustCreateUser(t, s, "bob")
	if _, err := s.vault.ActorKeys(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	auth := mustAuth(t, s, mustToken(t, s, "bob", "write:accounts"))

	if err := s.DeleteOwnAccount(ctx, auth, "wrong"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v, want ErrBadCredentials", err)
	}
	if _, err := s.store.Account(ctx, bob.ID); err != nil {
		t.Fatalf("account after a refused deletion: %v", err)
	}
	if err := s.DeleteOwnAccount(ctx, auth, "password-bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Account(ctx, bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("account after deletion: %v, want ErrNotFound", err)
	}
	if k := pub.kinds(); len(k) != 0 {
		t.Errorf("events with no remote inbox to tell: %v", k)
	}
	if _, err := s.vault.KeptActorKeys(ctx, bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("actor keys after a deletion with nobody to tell: %v, want shredded", err)
	}
	if _, err := s.DeletedActor(ctx, bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleted actor kept for signing: %v", err)
	}
	_, err := s.CreateUser(ctx, NewUser{Username: "Bob", Password: "a-long-enough-password", Approved: true})
	if codes := fieldCodes(t, err); codes["username"] != "ERR_RESERVED" {
		t.Errorf("create Bob while reserved: %v", codes)
	}
	if _, err := s.DeletedUsername(ctx, "bob"); err != nil {
		t.Errorf("deleted username while reserved: %v", err)
	}
	clock.Advance(7*24*time.Hour + time.Second)
	if _, freed, err := s.AccountDeletionSweep(ctx); err != nil || freed != 1 {
		t.Errorf("sweep after the reservation: freed %d, %v; want 1", freed, err)
	}
	mustCreateUser(t, s, "bob")
	if err := s.DeleteUser(ctx, "nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("delete an unknown user: %v", err)
	}
}

// TestDeleteHeldAccount: an account under a legal hold is not deleted,
// by its owner or an admin, until the hold lapses.
func TestDeleteHeldAccount(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	carol := mustCreateUser(t, s, "carol")
	if err := s.PutHold(ctx, carol.ID, clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	auth := mustAuth(t, s, mustToken(t, s, "carol", "write:accounts"))
	if err := s.DeleteOwnAccount(ctx, auth, "password-carol"); !errors.Is(err, ErrAccountHeld) {
		t.Errorf("owner's deletion under a hold: %v, want ErrAccountHeld", err)
	}
	if err := s.DeleteUser(ctx, "carol"); !errors.Is(err, ErrAccountHeld) {
		t.Errorf("admin deletion under a hold: %v, want ErrAccountHeld", err)
	}
	if _, err := s.store.Account(ctx, carol.ID); err != nil {
		t.Fatalf("held account after refused deletions: %v", err)
	}
	if _, err := s.DeletedUsername(ctx, "carol"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a refused deletion reserved the name: %v", err)
	}
	clock.Advance(24*time.Hour + time.Second)
	if err := s.DeleteUser(ctx, "carol"); err != nil {
		t.Errorf("deletion after the hold lapsed: %v", err)
	}
}
