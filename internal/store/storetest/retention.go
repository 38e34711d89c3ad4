package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Ages used by the retention tests: rows written 60 days ago, a cut-off
// 30 days ago, holds that end in a year.
const (
	retentionDay = 24 * time.Hour
	oldAge       = 60 * retentionDay
	cutoffAge    = 30 * retentionDay
)

func writtenAt(t time.Time) func(*model.Status) {
	return func(st *model.Status) { st.CreatedAt = t }
}

// testHolds checks putting, moving, listing, judging and releasing holds.
func testHolds(t *testing.T, f *fx) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	a := f.account("held")
	f.is(f.s.PutHold(f.ctx, 987654321, now.Add(time.Hour), now), model.ErrNotFound)
	f.must(f.s.PutHold(f.ctx, a.ID, now.Add(time.Hour), now))
	for _, c := range []struct {
		when time.Time
		want bool
	}{{now, true}, {now.Add(59 * time.Minute), true}, {now.Add(time.Hour), false}} {
		if got, err := f.s.UnderHold(f.ctx, a.ID, c.when); err != nil || got != c.want {
			t.Errorf("UnderHold at %v = %v, %v; want %v", c.when.Sub(now), got, err, c.want)
		}
	}
	f.must(f.s.PutHold(f.ctx, a.ID, now.Add(48*time.Hour), now)) // moved, not added
	holds, err := f.s.Holds(f.ctx)
	f.must(err)
	if len(holds) != 1 || holds[0].AccountID != a.ID || !holds[0].Until.Equal(now.Add(48*time.Hour)) ||
		!holds[0].CreatedAt.Equal(now) {
		t.Fatalf("Holds = %+v", holds)
	}
	if ok, err := f.s.ReleaseHold(f.ctx, a.ID); err != nil || !ok {
		t.Errorf("ReleaseHold = %v, %v", ok, err)
	}
	if ok, err := f.s.ReleaseHold(f.ctx, a.ID); err != nil || ok {
		t.Errorf("second ReleaseHold = %v, %v; want false", ok, err)
	}
	if held, err := f.s.UnderHold(f.ctx, a.ID, now); err != nil || held {
		t.Errorf("after release: %v, %v", held, err)
	}
	var _ store.Retention = f.s
}

// testExpiredRemoteStatuses seeds remote statuses each kept for one reason
// and checks that only the plain old one is due, until a hold lapses.
func testExpiredRemoteStatuses(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, cutoff := writtenAt(now.Add(-oldAge)), now.Add(-cutoffAge)
	local := f.account("keeper")
	far, held := f.remote("far", "far.example"), f.remote("held", "far.example")
	f.must(f.s.PutHold(f.ctx, held.ID, now.Add(365*retentionDay), now))

	plain := f.post(far, model.VisibilityPublic, old)
	unlisted := f.post(far, model.VisibilityUnlisted, old)
	f.post(far, model.VisibilityPublic) // fresh
	faved := f.post(far, model.VisibilityPublic, old)
	_, err := f.s.AddFavourite(f.ctx, local.ID, faved.ID)
	f.must(err)
	bookmarked := f.post(far, model.VisibilityPublic, old)
	f.must(f.s.AddBookmark(f.ctx, local.ID, bookmarked.ID))
	pinned := f.post(far, model.VisibilityPublic, old)
	f.must(f.s.AddPin(f.ctx, local.ID, pinned.ID))
	boosted := f.post(far, model.VisibilityPublic, old)
	f.boost(local, boosted)
	replied := f.post(far, model.VisibilityPublic, old)
	f.post(local, model.VisibilityPublic, replyTo(replied))
	mine := f.post(local, model.VisibilityPublic, old)
	f.post(far, model.VisibilityPublic, old, replyTo(mine)) // a reply to a local post
	mention := f.post(far, model.VisibilityPublic, old, mentioning(local))
	f.must(f.s.CreateNotification(f.ctx, &model.Notification{AccountID: local.ID, FromID: far.ID,
		Type: model.NotifyMention, StatusID: mention.ID}))
	f.post(far, model.VisibilityDirect, old, mentioning(local)) // the DM category's
	byHeld := f.post(held, model.VisibilityPublic, old)
	heldLocal := f.account("heldlocal")
	f.must(f.s.PutHold(f.ctx, heldLocal.ID, now.Add(365*retentionDay), now))
	f.post(far, model.VisibilityPublic, old, mentioning(heldLocal)) // mentions a held account
	favedByHeld := f.post(far, model.VisibilityPublic, old)
	_, err = f.s.AddFavourite(f.ctx, held.ID, favedByHeld.ID)
	f.must(err)
	// A remote favourite does not keep a status.
	other := f.remote("other", "else.example")
	_, err = f.s.AddFavourite(f.ctx, other.ID, unlisted.ID)
	f.must(err)

	want := []int64{plain.ID, unlisted.ID}
	got, err := f.s.ExpiredRemoteStatuses(f.ctx, cutoff, now, 100)
	f.must(err)
	if !slices.Equal(got, want) {
		t.Fatalf("ExpiredRemoteStatuses = %v, want %v", got, want)
	}
	if got, err := f.s.ExpiredRemoteStatuses(f.ctx, cutoff, now, 1); err != nil || !slices.Equal(got, want[:1]) {
		t.Errorf("limit 1: %v, %v", got, err)
	}
	if got, err := f.s.ExpiredRemoteStatuses(f.ctx, cutoff, now, 0); err != nil || len(got) != 0 {
		t.Errorf("limit 0: %v, %v", got, err)
	}
	// Once the hold lapses, the held author's status is due too.
	got, err = f.s.ExpiredRemoteStatuses(f.ctx, cutoff, now.Add(366*retentionDay), 100)
	f.must(err)
	if !slices.Contains(got, byHeld.ID) || len(got) != 5 {
		t.Errorf("after the hold: %v, want %v and %d", got, want, byHeld.ID)
	}
	// An open report about the author keeps its statuses.
	f.must(f.s.CreateReports(f.ctx, []*store.Report{{AccountID: local.ID, TargetAccountID: far.ID,
		Category: store.ReportSpam}}))
	if got, err := f.s.ExpiredRemoteStatuses(f.ctx, cutoff, now, 100); err != nil || len(got) != 0 {
		t.Errorf("with an open report: %v, %v", got, err)
	}
}

// testExpiredDirectStatuses checks that old direct messages are due,
// local and remote, unless a held account wrote or received them.
func testExpiredDirectStatuses(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, cutoff := writtenAt(now.Add(-oldAge)), now.Add(-cutoffAge)
	alice, bob, held := f.account("alice"), f.account("bob"), f.account("heldone")
	far := f.remote("far", "far.example")
	f.must(f.s.PutHold(f.ctx, held.ID, now.Add(retentionDay), now))
	localDM := f.post(alice, model.VisibilityDirect, old, mentioning(bob))
	remoteDM := f.post(far, model.VisibilityDirect, old, mentioning(alice))
	f.post(alice, model.VisibilityDirect, mentioning(bob))       // fresh
	f.post(alice, model.VisibilityDirect, old, mentioning(held)) // to a held account
	f.post(held, model.VisibilityDirect, old, mentioning(bob))   // by a held account
	f.post(alice, model.VisibilityPublic, old)                   // not direct

	want := []int64{localDM.ID, remoteDM.ID}
	got, err := f.s.ExpiredDirectStatuses(f.ctx, cutoff, now, 100)
	f.must(err)
	if !slices.Equal(got, want) {
		t.Fatalf("ExpiredDirectStatuses = %v, want %v", got, want)
	}
	if got, err := f.s.ExpiredDirectStatuses(f.ctx, cutoff, now.Add(2*retentionDay), 100); err != nil || len(got) != 4 {
		t.Errorf("after the hold: %v, %v; want 4", got, err)
	}
}

// testExpiredRemoteAccounts seeds remote accounts each referred to in one
// way and checks that only the one nothing refers to is due.
func testExpiredRemoteAccounts(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, cutoff := now.Add(-oldAge), now.Add(-cutoffAge)
	local := f.account("home")
	put := func(name string, fetched time.Time) *model.Account {
		t.Helper()
		uri := "https://cache.example/users/" + name
		a := &model.Account{Username: name, Domain: "cache.example", URI: uri}
		f.must(f.s.PutRemoteActor(f.ctx, a, remoteActor(uri, fetched)))
		return a
	}
	lonely := put("lonely", old)
	put("fresh", now)
	followed, follower, requested := put("followed", old), put("follower", old), put("requested", old)
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: local.ID, TargetID: followed.ID}))
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: follower.ID, TargetID: local.ID}))
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: local.ID, TargetID: requested.ID, Pending: true}))
	blocked, muted, noted := put("blocked", old), put("muted", old), put("noted", old)
	f.must(f.s.PutBlock(f.ctx, local.ID, blocked.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: local.ID, TargetID: muted.ID}))
	f.must(f.s.SetNote(f.ctx, local.ID, noted.ID, "a note"))
	reported, author, faver := put("reported", old), put("author", old), put("faver", old)
	f.must(f.s.CreateReports(f.ctx, []*store.Report{{AccountID: local.ID, TargetAccountID: reported.ID,
		Category: store.ReportSpam}}))
	f.post(author, model.VisibilityPublic)
	_, err := f.s.AddFavourite(f.ctx, faver.ID, f.post(local, model.VisibilityPublic).ID)
	f.must(err)
	mentioned, notifier, held, suspended := put("mentioned", old), put("notifier", old), put("held", old), put("suspended", old)
	f.post(local, model.VisibilityPublic, mentioning(mentioned))
	f.must(f.s.CreateNotification(f.ctx, &model.Notification{AccountID: local.ID, FromID: notifier.ID,
		Type: model.NotifyFollow}))
	f.must(f.s.PutHold(f.ctx, held.ID, now.Add(retentionDay), now))
	f.must(f.s.SetAccountSuspended(f.ctx, suspended.ID, &now))

	got, err := f.s.ExpiredRemoteAccounts(f.ctx, cutoff, now, 100)
	f.must(err)
	if !slices.Equal(got, []int64{lonely.ID}) {
		t.Fatalf("ExpiredRemoteAccounts = %v, want [%d] (lonely)", got, lonely.ID)
	}
	got, err = f.s.ExpiredRemoteAccounts(f.ctx, cutoff, now.Add(2*retentionDay), 100)
	f.must(err)
	if want := []int64{lonely.ID, held.ID}; !slices.Equal(got, want) {
		t.Errorf("after the hold: %v, want %v", got, want)
	}
	if got, _ := f.s.ExpiredRemoteAccounts(f.ctx, cutoff, now, 0); len(got) != 0 {
		t.Errorf("limit 0: %v", got)
	}
}

// testPurgeRows checks the purges that delete rows directly:
// notifications, tokens and codes, closed reports and delivery records,
// each by age and past holds, and the progress record.
func testPurgeRows(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, cutoff := now.Add(-oldAge), now.Add(-cutoffAge)
	alice, held := f.account("alice"), f.account("heldone")
	far := f.remote("far", "far.example")
	f.must(f.s.PutHold(f.ctx, held.ID, now.Add(retentionDay), now))

	notif := func(to *model.Account, when time.Time) *model.Notification {
		n := &model.Notification{AccountID: to.ID, FromID: far.ID, Type: model.NotifyFollow, CreatedAt: when}
		f.must(f.s.CreateNotification(f.ctx, n))
		return n
	}
	oldN, freshN, heldN := notif(alice, old), notif(alice, now), notif(held, old)
	if n, err := f.s.PurgeNotifications(f.ctx, cutoff, now, 100); err != nil || n != 1 {
		t.Errorf("PurgeNotifications = %d, %v; want 1", n, err)
	}
	_, err := f.s.Notification(f.ctx, alice.ID, oldN.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.Notification(f.ctx, alice.ID, freshN.ID)
	f.must(err)
	_, err = f.s.Notification(f.ctx, held.ID, heldN.ID)
	f.must(err)

	app := &model.App{Name: "app", ClientID: "retention-client", ClientSecretHash: hash("s")}
	f.must(f.s.CreateApp(f.ctx, app))
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	tok := func(name string, owner int64, created time.Time, used string, revoked *time.Time) {
		f.must(f.s.CreateToken(f.ctx, &model.Token{Hash: hash(name), AppID: app.ID, AccountID: owner,
			CreatedAt: created, LastUsedDay: used, RevokedAt: revoked}))
	}
	tok("unused", alice.ID, old, day(old), nil)
	tok("never", alice.ID, old, "", nil)
	tok("app-only", 0, old, day(old), nil)
	tok("revoked", alice.ID, now, day(now), &old)
	tok("recent", alice.ID, old, day(now), nil)
	tok("new", alice.ID, now, "", nil)
	tok("held", held.ID, old, day(old), nil)
	f.must(f.s.CreateAuthCode(f.ctx, &model.AuthCode{Hash: hash("code-old"), AppID: app.ID, AccountID: alice.ID, ExpiresAt: now.Add(-time.Minute)}))
	f.must(f.s.CreateAuthCode(f.ctx, &model.AuthCode{Hash: hash("code-new"), AppID: app.ID, AccountID: alice.ID, ExpiresAt: now.Add(time.Minute)}))
	if n, err := f.s.PurgeTokens(f.ctx, cutoff, now, 100); err != nil || n != 5 {
		t.Errorf("PurgeTokens = %d, %v; want 5 (4 tokens, 1 code)", n, err)
	}
	for _, name := range []string{"unused", "never", "app-only"} {
		_, err := f.s.TokenByHash(f.ctx, hash(name))
		f.is(err, model.ErrNotFound)
	}
	for _, name := range []string{"recent", "new", "held"} {
		if _, err := f.s.TokenByHash(f.ctx, hash(name)); err != nil {
			t.Errorf("token %s: %v", name, err)
		}
	}
	_, err = f.s.TakeAuthCode(f.ctx, hash("code-new"))
	f.must(err)

	rs := []*store.Report{
		{AccountID: alice.ID, TargetAccountID: far.ID, Category: store.ReportSpam},  // resolved long ago
		{AccountID: alice.ID, TargetAccountID: far.ID, Category: store.ReportOther}, // resolved lately
		{AccountID: alice.ID, TargetAccountID: far.ID, Category: store.ReportLegal}, // open
		{AccountID: held.ID, TargetAccountID: far.ID, Category: store.ReportSpam},   // by a held account
	}
	f.must(f.s.CreateReports(f.ctx, rs))
	f.must(f.s.ResolveReport(f.ctx, rs[0].ID, alice.ID, &old))
	f.must(f.s.ResolveReport(f.ctx, rs[1].ID, alice.ID, &now))
	f.must(f.s.ResolveReport(f.ctx, rs[3].ID, alice.ID, &old))
	if n, err := f.s.PurgeClosedReports(f.ctx, cutoff, now, 100); err != nil || n != 1 {
		t.Errorf("PurgeClosedReports = %d, %v; want 1", n, err)
	}
	_, err = f.s.Report(f.ctx, rs[0].ID)
	f.is(err, model.ErrNotFound)
	for _, r := range rs[1:] {
		if _, err := f.s.Report(f.ctx, r.ID); err != nil {
			t.Errorf("report %d: %v", r.ID, err)
		}
	}

	f.must(f.s.DeliveryFailed(f.ctx, "gone.example", old))
	f.must(f.s.DeliveryFailed(f.ctx, "flaky.example", now))
	f.must(f.s.AddPendingCreates(f.ctx, 42, []string{"https://flaky.example/inbox"}))
	if n, err := f.s.PurgeDeliveryRecords(f.ctx, cutoff, 100); err != nil || n != 1 {
		t.Errorf("PurgeDeliveryRecords = %d, %v; want 1", n, err)
	}
	if h, err := f.s.DeliveryHost(f.ctx, "gone.example"); err != nil || h.Failures != 0 {
		t.Errorf("gone.example after purge: %+v, %v", h, err)
	}
	if h, err := f.s.DeliveryHost(f.ctx, "flaky.example"); err != nil || h.Failures != 1 {
		t.Errorf("flaky.example after purge: %+v, %v", h, err)
	}
	if n, err := f.s.PurgeDeliveryRecords(f.ctx, now.Add(time.Hour), 100); err != nil || n != 2 {
		t.Errorf("PurgeDeliveryRecords later = %d, %v; want 2", n, err)
	}
	if since, err := f.s.PendingCreateSince(f.ctx, 42, "https://flaky.example/inbox"); err != nil || !since.IsZero() {
		t.Errorf("pending create after purge: %v, %v", since, err)
	}

	f.must(f.s.RecordRetentionRun(f.ctx, "notifications", old, 3))
	f.must(f.s.RecordRetentionRun(f.ctx, "notifications", now, 2))
	f.must(f.s.RecordRetentionRun(f.ctx, "tokens", now, 0))
	runs, err := f.s.RetentionRuns(f.ctx)
	f.must(err)
	if len(runs) != 2 || runs[0].Category != "notifications" || runs[0].LastPurged != 2 || runs[0].TotalPurged != 5 ||
		!runs[0].LastRunAt.Equal(now.Truncate(time.Microsecond)) || runs[1].Category != "tokens" {
		t.Errorf("RetentionRuns = %+v", runs)
	}
}

// testAutoDelete checks the auto-delete policies' storage and which of an
// account's own posts each option keeps.
func testAutoDelete(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, before := writtenAt(now.Add(-oldAge)), now.Add(-cutoffAge)
	me, fan, held := f.account("me"), f.account("fan"), f.account("heldone")
	f.is(f.s.PutAutoDeletePolicy(f.ctx, &store.AutoDeletePolicy{AccountID: 987654321, MinAgeDays: 7}), model.ErrNotFound)
	_, err := f.s.AutoDeletePolicy(f.ctx, me.ID)
	f.is(err, model.ErrNotFound)

	plain := f.post(me, model.VisibilityPublic, old)
	dm := f.post(me, model.VisibilityDirect, old, mentioning(fan))
	pinned := f.post(me, model.VisibilityPublic, old)
	f.must(f.s.AddPin(f.ctx, me.ID, pinned.ID))
	selfFav := f.post(me, model.VisibilityPublic, old)
	_, err = f.s.AddFavourite(f.ctx, me.ID, selfFav.ID)
	f.must(err)
	selfMark := f.post(me, model.VisibilityPublic, old)
	f.must(f.s.AddBookmark(f.ctx, me.ID, selfMark.ID))
	popular := f.post(me, model.VisibilityPublic, old)
	_, err = f.s.AddFavourite(f.ctx, fan.ID, popular.ID)
	f.must(err)
	boosted := f.post(me, model.VisibilityPublic, old)
	f.boost(fan, boosted)
	f.post(me, model.VisibilityPublic) // fresh
	f.boost(me, f.post(fan, model.VisibilityPublic, old))

	p := store.AutoDeletePolicy{AccountID: me.ID, Enabled: true, MinAgeDays: 30, KeepDirect: true, KeepPinned: true,
		KeepSelfFav: true, KeepSelfBookmark: true, MinFavs: 1, MinReblogs: 1}
	f.must(f.s.PutAutoDeletePolicy(f.ctx, &p))
	got, err := f.s.AutoDeletePolicy(f.ctx, me.ID)
	f.must(err)
	if got.MinAgeDays != 30 || !got.KeepDirect || got.KeepPolls || got.MinFavs != 1 || got.UpdatedAt.IsZero() {
		t.Errorf("AutoDeletePolicy = %+v", got)
	}
	ids, err := f.s.ExpiredOwnStatuses(f.ctx, p, before, 100)
	f.must(err)
	if !slices.Equal(ids, []int64{plain.ID}) {
		t.Errorf("keeping everything: %v, want [%d]", ids, plain.ID)
	}
	p = store.AutoDeletePolicy{AccountID: me.ID, Enabled: true, MinAgeDays: 30}
	ids, err = f.s.ExpiredOwnStatuses(f.ctx, p, before, 100)
	f.must(err)
	want := []int64{plain.ID, dm.ID, pinned.ID, selfFav.ID, selfMark.ID, popular.ID, boosted.ID}
	if !slices.Equal(ids, want) {
		t.Errorf("keeping nothing: %v, want %v (boosts and fresh posts never)", ids, want)
	}
	if ids, _ := f.s.ExpiredOwnStatuses(f.ctx, p, before, 2); !slices.Equal(ids, want[:2]) {
		t.Errorf("limit 2: %v", ids)
	}

	f.must(f.s.PutAutoDeletePolicy(f.ctx, &store.AutoDeletePolicy{AccountID: fan.ID, MinAgeDays: 7})) // disabled
	f.must(f.s.PutAutoDeletePolicy(f.ctx, &store.AutoDeletePolicy{AccountID: held.ID, Enabled: true, MinAgeDays: 7}))
	f.must(f.s.PutHold(f.ctx, held.ID, now.Add(retentionDay), now))
	ps, err := f.s.EnabledAutoDeletePolicies(f.ctx, 0, now, 10)
	f.must(err)
	if len(ps) != 1 || ps[0].AccountID != me.ID {
		t.Errorf("EnabledAutoDeletePolicies = %+v, want only me's", ps)
	}
	ps, err = f.s.EnabledAutoDeletePolicies(f.ctx, 0, now.Add(2*retentionDay), 10)
	f.must(err)
	if len(ps) != 2 {
		t.Errorf("after the hold: %+v, want me's and held's", ps)
	}
	if ps, _ := f.s.EnabledAutoDeletePolicies(f.ctx, me.ID, now, 10); len(ps) != 0 {
		t.Errorf("after me: %+v", ps)
	}
}
