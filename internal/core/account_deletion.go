package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Account deletion (issue 4 §4). Deleting a local account, by its owner or
// an admin, happens at once and in this order:
//
//  1. the inboxes that know the account are worked out while its follows
//     and statuses still exist, and kept, with its username and id, in a
//     deletion record (store.DeletedAccount);
//  2. its data keys are shredded (vault.ShredData): everything sealed for
//     it, here and in every data backup, is unreadable from now on;
//  3. its rows are deleted (store.DeleteLocalAccountData);
//  4. EventAccountDeleted asks the federation adapter to deliver
//     Delete(Person), signed with the account's actor key, which the vault
//     keeps until the last of those deliveries ends or DeletionSignWindow
//     passes, and then shreds.
//
// The username stays reserved for Settings.ReserveDays, then is
// free again. Run again, a deletion that failed half way finishes.

// DeletionSignWindow is how long a deleted account's actor keys are kept
// at most for signing its Delete(Person): a little more than the two days
// deliveries retry for (federation.DeliverMaxAttempts).
const DeletionSignWindow = 3 * 24 * time.Hour

// DefaultUsernameReserveDays is how long a deleted username stays reserved
// when the settings do not say.
const DefaultUsernameReserveDays = 30

// ErrAccountHeld refuses to delete an account under a legal hold: its data
// must stay until the hold lapses or is released.
var ErrAccountHeld = fmt.Errorf("the account is under a legal hold and cannot be deleted until it ends: %w", model.ErrConflict)

// DeleteOwnAccount deletes the signed-in account after checking its
// password (ErrBadCredentials when wrong, counted like a failed sign-in):
// GoToSocial's POST /api/v1/accounts/delete.
func (s *Service) DeleteOwnAccount(ctx context.Context, a *Auth, password string) error {
	if a == nil || a.Account == nil {
		return fmt.Errorf("core: delete account: %w", model.ErrUnauthorized)
	}
	if err := s.checkOwnPassword(ctx, a.Account.ID, password); err != nil {
		if errors.Is(err, model.ErrUnauthorized) {
			return ErrBadCredentials
		}
		return err
	}
	return s.deleteAccount(ctx, a.Account)
}

// DeleteUser deletes the local account username: `roost admin
// delete-user`. A name that is only reserved after a deletion is
// model.ErrNotFound.
func (s *Service) DeleteUser(ctx context.Context, username string) error {
	a, err := s.store.AccountByUsername(ctx, username, "")
	if errors.Is(err, model.ErrShredded) {
		return s.finishHalfDeleted(ctx, username)
	}
	if err != nil {
		return fmt.Errorf("core: delete user %q: %w", username, err)
	}
	return s.deleteAccount(ctx, a)
}

// finishHalfDeleted deletes the rows of an account whose keys a failed
// deletion already shredded: its record says which it is.
func (s *Service) finishHalfDeleted(ctx context.Context, username string) error {
	d, err := s.store.DeletedAccount(ctx, s.deletedID(ctx, username))
	if err != nil {
		return fmt.Errorf("core: delete user %q: %w", username, err)
	}
	if err := s.store.DeleteLocalAccountData(ctx, d.AccountID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("core: delete user %q: %w", username, err)
	}
	s.publish(ctx, Event{Kind: EventAccountDeleted, ActorID: d.AccountID})
	return nil
}

func (s *Service) deletedID(ctx context.Context, username string) int64 {
	if d, err := s.store.DeletedUsername(ctx, username); err == nil {
		return d.AccountID
	}
	return 0
}

func (s *Service) deleteAccount(ctx context.Context, a *model.Account) error {
	if !a.Local() {
		return fmt.Errorf("core: delete account: %w", model.Invalid("not a local account"))
	}
	now := s.now()
	if held, err := s.UnderHold(ctx, a.ID, now); err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	} else if held {
		return fmt.Errorf("core: delete account: %w", ErrAccountHeld)
	}
	// Signed out everywhere first, so nothing it does meanwhile outlives it.
	if err := s.store.RevokeAccountTokens(ctx, a.ID, now); err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	}
	inboxes, err := s.store.DeletionInboxes(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	}
	rec := &store.DeletedAccount{Username: a.Username, AccountID: a.ID, DeletedAt: now,
		ReservedUntil: now.Add(s.usernameReserve()), SignUntil: now.Add(DeletionSignWindow)}
	if err := s.store.RecordAccountDeletion(ctx, rec, inboxes); err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	}
	if err := s.vault.ShredData(ctx, a.ID); err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	}
	if err := s.store.DeleteLocalAccountData(ctx, a.ID); err != nil {
		return fmt.Errorf("core: delete account: %w", err)
	}
	if len(inboxes) == 0 {
		return s.finishDeletion(ctx, a.ID)
	}
	s.publish(ctx, Event{Kind: EventAccountDeleted, ActorID: a.ID})
	return nil
}

func (s *Service) usernameReserve() time.Duration {
	return time.Duration(s.UsernameReserveDays()) * 24 * time.Hour
}

// UsernameReserveDays is how many days a deleted username stays reserved.
func (s *Service) UsernameReserveDays() int {
	if s.settings().ReserveDays <= 0 {
		return DefaultUsernameReserveDays
	}
	return s.settings().ReserveDays
}

// finishDeletion shreds the kept actor keys, then forgets the account id.
func (s *Service) finishDeletion(ctx context.Context, accountID int64) error {
	if err := s.vault.Shred(ctx, accountID); err != nil {
		return fmt.Errorf("core: finish account deletion: %w", err)
	}
	if err := s.store.FinishAccountDeletion(ctx, accountID); err != nil {
		return fmt.Errorf("core: finish account deletion: %w", err)
	}
	return nil
}

// DeletedActor returns the deletion record of account accountID while its
// Delete(Person) may still be delivered; model.ErrNotFound once it is done
// or was never deleted.
func (s *Service) DeletedActor(ctx context.Context, accountID int64) (*store.DeletedAccount, error) {
	d, err := s.store.DeletedAccount(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: deleted actor: %w", err)
	}
	if !s.now().Before(d.SignUntil) {
		return nil, fmt.Errorf("core: deleted actor: %w", model.ErrNotFound)
	}
	return d, nil
}

// DeletedActorInboxes lists where the Delete(Person) of account accountID
// goes, as worked out when it was deleted.
func (s *Service) DeletedActorInboxes(ctx context.Context, accountID int64) ([]string, error) {
	if _, err := s.DeletedActor(ctx, accountID); err != nil {
		return nil, err
	}
	boxes, err := s.store.DeletionInboxesLeft(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: deleted actor inboxes: %w", err)
	}
	return boxes, nil
}

// DeletedActorKeys returns the kept actor keys of deleted account
// accountID, never new ones: model.ErrNotFound once they are shredded.
func (s *Service) DeletedActorKeys(ctx context.Context, accountID int64) (*vault.ActorKeys, error) {
	if _, err := s.DeletedActor(ctx, accountID); err != nil {
		return nil, err
	}
	k, err := s.vault.KeptActorKeys(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: deleted actor keys: %w", err)
	}
	return k, nil
}

// AccountDeletionDelivered records that the Delete(Person) of account
// accountID is done with inbox (delivered, refused or out of attempts);
// after the last inbox the account's actor keys are shredded.
func (s *Service) AccountDeletionDelivered(ctx context.Context, accountID int64, inbox string) error {
	left, err := s.store.DeletionDelivered(ctx, accountID, inbox)
	if err != nil {
		return fmt.Errorf("core: account deletion delivered: %w", err)
	}
	if left > 0 {
		return nil
	}
	if _, err := s.store.DeletedAccount(ctx, accountID); errors.Is(err, model.ErrNotFound) {
		return nil // finished already
	}
	return s.finishDeletion(ctx, accountID)
}

// AccountDeletionSweep finishes the deletions whose deliveries are over or
// whose signing window passed (shredding their actor keys), and frees the
// usernames whose reservation ended. It returns how many of each.
func (s *Service) AccountDeletionSweep(ctx context.Context) (finished, freed int, err error) {
	now := s.now()
	ids, err := s.store.DeletionsToFinish(ctx, now)
	if err != nil {
		return 0, 0, fmt.Errorf("core: account deletion sweep: %w", err)
	}
	for _, id := range ids {
		if err := s.finishDeletion(ctx, id); err != nil {
			return finished, 0, err
		}
		finished++
	}
	freed, err = s.store.FreeUsernames(ctx, now)
	if err != nil {
		return finished, 0, fmt.Errorf("core: account deletion sweep: %w", err)
	}
	return finished, freed, nil
}

// DeletedUsername returns the record of a deleted local username while it
// is reserved; model.ErrNotFound otherwise. The actor route answers 410
// Gone for it.
func (s *Service) DeletedUsername(ctx context.Context, username string) (*store.DeletedAccount, error) {
	d, err := s.store.DeletedUsername(ctx, username)
	if err != nil {
		return nil, fmt.Errorf("core: deleted username: %w", err)
	}
	if !s.now().Before(d.ReservedUntil) {
		return nil, fmt.Errorf("core: deleted username: %w", model.ErrNotFound)
	}
	return d, nil
}

// usernameReserved refuses a username deleted less than the reservation
// ago, for sign-up and create-user alike.
func (s *Service) usernameReserved(ctx context.Context, name string) error {
	_, err := s.DeletedUsername(ctx, name)
	switch {
	case err == nil:
		return fieldErr("username", "ERR_RESERVED", "is reserved: an account of this name was deleted recently")
	case errors.Is(err, model.ErrNotFound):
		return nil
	}
	return err
}

// ForgetUnreadableAccounts finishes, after a data backup was restored, the
// deletions that happened since it was taken: the backup brings back the
// rows of accounts deleted later, but not their keys, so their profile,
// email or sealed settings open as model.ErrShredded. Such an account's
// rows are deleted and its username reserved anew (the backup has no
// record of the deletion; the reservation runs from now). Its
// Delete(Person) went out when it was deleted, and cannot be signed again.
// An account that never had any sealed value cannot be told from a live
// one this way, and is left alone. It returns the usernames it forgot.
func (s *Service) ForgetUnreadableAccounts(ctx context.Context) ([]string, error) {
	var gone []string
	for after := int64(0); ; {
		refs, err := s.store.LocalAccountIDs(ctx, after, 200)
		if err != nil {
			return gone, fmt.Errorf("core: forget unreadable accounts: %w", err)
		}
		for _, r := range refs {
			unreadable, err := s.unreadable(ctx, r.Key)
			if err != nil {
				return gone, fmt.Errorf("core: forget unreadable accounts: %w", err)
			}
			if !unreadable {
				continue
			}
			if err := s.forgetUnreadable(ctx, r.Key, r.Value); err != nil {
				return gone, err
			}
			gone = append(gone, r.Value)
		}
		if len(refs) < 200 {
			return gone, nil
		}
		after = refs[len(refs)-1].Key
	}
}

// unreadable reports whether local account id's sealed values can no
// longer be opened: its keys are gone.
func (s *Service) unreadable(ctx context.Context, id int64) (bool, error) {
	_, err := s.store.Account(ctx, id)
	if err == nil {
		_, err = s.store.User(ctx, id)
	}
	switch {
	case errors.Is(err, model.ErrShredded):
		return true, nil
	case err == nil || errors.Is(err, model.ErrNotFound):
		return false, nil
	}
	return false, err
}

func (s *Service) forgetUnreadable(ctx context.Context, id int64, username string) error {
	now := s.now()
	rec := &store.DeletedAccount{Username: username, AccountID: id, DeletedAt: now,
		ReservedUntil: now.Add(s.usernameReserve()), SignUntil: now}
	if _, err := s.store.DeletedUsername(ctx, username); errors.Is(err, model.ErrNotFound) {
		if err := s.store.RecordAccountDeletion(ctx, rec, nil); err != nil {
			return fmt.Errorf("core: forget %q: %w", username, err)
		}
	} else if err != nil {
		return fmt.Errorf("core: forget %q: %w", username, err)
	}
	if err := s.vault.Shred(ctx, id); err != nil { // what is left: actor keys made since
		return fmt.Errorf("core: forget %q: %w", username, err)
	}
	if err := s.store.DeleteLocalAccountData(ctx, id); err != nil && !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("core: forget %q: %w", username, err)
	}
	return s.finishDeletion(ctx, id)
}
