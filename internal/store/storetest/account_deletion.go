package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// testAccountDeletion deletes a local account the way core does (record,
// shred the data keys, delete the rows, then finish by shredding the kept
// actor keys) and checks that no row of any account column names it, that
// its ciphertext cannot be opened, that others' counters are right, and
// the life of the deletion record: reservation, inboxes, finishing.
func testAccountDeletion(t *testing.T, f *fx) {
	gone, other := f.account("gone"), f.account("other")
	zed, yan := f.remote("zed", "social.example"), f.remote("yan", "far.example")
	f.must(f.s.PutRemoteActor(f.ctx, zed, &store.RemoteActor{AccountID: zed.ID, Inbox: "https://social.example/users/zed/inbox",
		SharedInbox: "https://social.example/inbox"}))
	f.must(f.s.PutRemoteActor(f.ctx, yan, &store.RemoteActor{AccountID: yan.ID, Inbox: "https://far.example/users/yan/inbox"}))
	mine := f.post(gone, model.VisibilityPublic, mentioning(other))
	theirs := f.post(other, model.VisibilityPublic, replyTo(mine))
	yans := f.post(yan, model.VisibilityPublic)
	f.boost(other, mine)
	f.boost(gone, theirs)
	f.follow(zed, gone)
	f.follow(gone, other)
	f.follow(other, gone)
	_, err := f.s.AddFavourite(f.ctx, gone.ID, yans.ID)
	f.must(err)
	_, err = f.s.AddFavourite(f.ctx, other.ID, mine.ID)
	f.must(err)
	f.must(f.s.AddBookmark(f.ctx, gone.ID, theirs.ID))
	f.must(f.s.AddPin(f.ctx, gone.ID, mine.ID))
	f.must(f.s.PutBlock(f.ctx, gone.ID, yan.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: other.ID, TargetID: gone.ID}))
	f.must(f.s.SetNote(f.ctx, gone.ID, other.ID, "a note"))
	f.must(f.s.CreateNotification(f.ctx, &model.Notification{AccountID: other.ID, FromID: gone.ID,
		Type: model.NotifyFavourite, StatusID: theirs.ID}))
	f.must(f.s.CreateNotification(f.ctx, &model.Notification{AccountID: gone.ID, FromID: other.ID,
		Type: model.NotifyFavourite, StatusID: mine.ID}))
	f.must(f.s.CreateApp(f.ctx, &model.App{Name: "gone's app", ClientID: "gone-app", ClientSecretHash: []byte("hash"), OwnerID: gone.ID,
		RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"}, Scopes: "read"}))
	place := vault.Place{Table: "test", Column: "canary", Row: gone.ID}
	sealed, err := f.v.SealString(f.ctx, gone.ID, place, "canary of gone")
	f.must(err)
	keys, err := f.v.ActorKeys(f.ctx, gone.ID)
	f.must(err)

	refs, ok := f.s.(store.AccountReferencer)
	if !ok {
		t.Fatal("the store does not count account references (store.AccountReferencer)")
	}
	before, err := refs.AccountReferences(f.ctx, gone.ID)
	f.must(err)
	for _, col := range []string{"statuses.account_id", "follows.target_id", "favourites.account_id", "apps.owner_id",
		"notifications.from_id", "mutes.target_id", "statuses.in_reply_to_account_id", "users.account_id"} {
		if before[col] == 0 {
			t.Errorf("before deletion, no row counted in %s: the reference count cannot prove anything (%v)", col, before)
		}
	}

	boxes, err := f.s.DeletionInboxes(f.ctx, gone.ID)
	f.must(err)
	if want := []string{"https://far.example/users/yan/inbox", "https://social.example/inbox"}; !slices.Equal(boxes, want) {
		t.Errorf("deletion inboxes = %v, want %v", boxes, want)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	rec := &store.DeletedAccount{Username: "Gone", AccountID: gone.ID, DeletedAt: now,
		ReservedUntil: now.Add(30 * 24 * time.Hour), SignUntil: now.Add(72 * time.Hour)}
	f.must(f.s.RecordAccountDeletion(f.ctx, rec, boxes))
	f.must(f.v.ShredData(f.ctx, gone.ID))
	// Local accounts are listed, by id and name, even once their keys are
	// gone; remote ones are not.
	locals, err := f.s.LocalAccountIDs(f.ctx, 0, 100)
	f.must(err)
	listed := map[int64]string{}
	for _, r := range locals {
		listed[r.Key] = r.Value
	}
	if listed[gone.ID] != gone.Username || listed[other.ID] != other.Username || listed[zed.ID] != "" {
		t.Errorf("LocalAccountIDs = %v: want gone and other, not the remote zed", locals)
	}
	if page, err := f.s.LocalAccountIDs(f.ctx, locals[0].Key, 1); err != nil || len(page) != 1 || page[0].Key != locals[1].Key {
		t.Errorf("LocalAccountIDs after %d, limit 1 = %v, %v; want %d", locals[0].Key, page, err, locals[1].Key)
	}
	f.is(f.s.DeleteLocalAccountData(f.ctx, zed.ID), model.ErrInvalid)
	f.must(f.s.DeleteLocalAccountData(f.ctx, gone.ID))
	f.is(f.s.DeleteLocalAccountData(f.ctx, gone.ID), model.ErrNotFound)

	if _, err := f.v.OpenString(f.ctx, gone.ID, place, sealed); !errors.Is(err, model.ErrShredded) {
		t.Errorf("gone's ciphertext opens after deletion: %v, want ErrShredded", err)
	}
	if kept, err := f.v.KeptActorKeys(f.ctx, gone.ID); err != nil || kept.RSAPublicPEM() != keys.RSAPublicPEM() {
		t.Errorf("the actor keys are not kept to sign the Delete: %v", err)
	}
	_, err = f.s.Account(f.ctx, gone.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.AccountByUsername(f.ctx, "gone", "")
	f.is(err, model.ErrNotFound)
	_, err = f.s.Status(f.ctx, mine.ID)
	f.is(err, model.ErrNotFound)
	if got := f.status(theirs.ID); got.InReplyToAccountID != 0 || got.ReblogsCount != 0 {
		t.Errorf("other's reply after the deletion: in_reply_to_account %d, reblogs %d; want 0, 0",
			got.InReplyToAccountID, got.ReblogsCount)
	}
	f.followCounts(f.reload(other), 0, 0)
	f.followCounts(f.reload(zed), 0, 0)
	if n := f.reload(other).StatusesCount; n != 1 {
		t.Errorf("other's statuses_count = %d after its boost of gone's post went, want 1", n)
	}

	// Only the deletion record names it now.
	during, err := refs.AccountReferences(f.ctx, gone.ID)
	f.must(err)
	for col := range during {
		if !strings.HasPrefix(col, "deleted_account") {
			t.Errorf("after deletion, %d rows of %s name the account", during[col], col)
		}
	}
	d, err := f.s.DeletedUsername(f.ctx, "GONE")
	f.must(err)
	if d.Username != "Gone" || d.AccountID != gone.ID || !d.ReservedUntil.Equal(rec.ReservedUntil) || !d.SignUntil.Equal(rec.SignUntil) {
		t.Errorf("deleted username = %+v, want %+v", d, rec)
	}
	if _, err := f.s.DeletedAccount(f.ctx, gone.ID); err != nil {
		t.Errorf("deleted account by id: %v", err)
	}
	ids, err := f.s.DeletionsToFinish(f.ctx, now)
	f.must(err)
	if len(ids) != 0 {
		t.Errorf("deletions to finish with inboxes left = %v", ids)
	}
	left, err := f.s.DeletionDelivered(f.ctx, gone.ID, boxes[0])
	f.must(err)
	if left != 1 {
		t.Errorf("inboxes left = %d, want 1", left)
	}
	if got, _ := f.s.DeletionInboxesLeft(f.ctx, gone.ID); !slices.Equal(got, boxes[1:]) {
		t.Errorf("inboxes left = %v, want %v", got, boxes[1:])
	}
	ids, err = f.s.DeletionsToFinish(f.ctx, now.Add(73*time.Hour))
	f.must(err)
	if !slices.Equal(ids, []int64{gone.ID}) {
		t.Errorf("deletions to finish past the signing window = %v, want [%d]", ids, gone.ID)
	}

	f.must(f.v.Shred(f.ctx, gone.ID))
	f.must(f.s.FinishAccountDeletion(f.ctx, gone.ID))
	f.must(f.s.FinishAccountDeletion(f.ctx, gone.ID))
	after, err := refs.AccountReferences(f.ctx, gone.ID)
	f.must(err)
	if len(after) != 0 {
		t.Errorf("after the deletion finished, rows still name the account: %v", after)
	}
	if _, err := f.v.KeptActorKeys(f.ctx, gone.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("actor keys after the finish: %v, want ErrNotFound", err)
	}
	_, err = f.s.DeletedAccount(f.ctx, gone.ID)
	f.is(err, model.ErrNotFound)
	if _, err := f.s.DeletedUsername(f.ctx, "gone"); err != nil {
		t.Errorf("the username is no longer recorded before its reservation ended: %v", err)
	}
	n, err := f.s.FreeUsernames(f.ctx, now.Add(29*24*time.Hour))
	f.must(err)
	if n != 0 {
		t.Errorf("freed %d usernames before the reservation ended", n)
	}
	n, err = f.s.FreeUsernames(f.ctx, now.Add(30*24*time.Hour))
	f.must(err)
	if n != 1 {
		t.Errorf("freed %d usernames when the reservation ended, want 1", n)
	}
	_, err = f.s.DeletedUsername(f.ctx, "gone")
	f.is(err, model.ErrNotFound)
}
