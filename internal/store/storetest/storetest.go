// Package storetest is the one conformance suite for store.Store. Every
// implementation runs it from its own tests:
//
//	func TestConformance(t *testing.T) { storetest.Run(t, open) }
//
// where open returns a fresh, empty, migrated store and the vault it seals
// with. The suite covers every method, with the visibility rules of the
// timelines tested viewer by viewer. It also holds the canary writer for the
// implementations' raw-file scans (WriteCanaries), the benchmarks they
// call (BenchmarkHomeTimeline, BenchmarkCreateStatus) and the benchmarks'
// home timeline fixture (BuildHomeFixture). Key stores have their own
// suite, vault/vaulttest.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Harness is a store under test and the vault it seals with.
type Harness struct {
	Store store.Store
	Vault *vault.Vault
}

// Opener returns a fresh, empty store for one test and registers its
// cleanup with tb.
type Opener func(tb testing.TB) Harness

// BulkStatusCreator inserts many statuses at once; the benchmarks use it to
// build their fixture quickly, falling back to CreateStatus.
type BulkStatusCreator interface {
	CreateStatuses(ctx context.Context, list []*model.Status) error
}

// Optimizer refreshes planner statistics; the benchmarks call it after
// loading their fixture, as a database in service would have statistics.
type Optimizer interface {
	Optimize(ctx context.Context) error
}

// Run runs the whole suite, each test on a fresh store.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *fx)
	}{
		{"Accounts", testAccounts},
		{"AccountConflicts", testAccountConflicts},
		{"RemoteAccounts", testRemoteAccounts},
		{"SearchAccounts", testSearchAccounts},
		{"RemoteActors", testRemoteActors},
		{"StaleRemoteActors", testStaleRemoteActors},
		{"Holds", testHolds},
		{"InstanceOverrides", testInstanceOverrides},
		{"ExpiredRemoteStatuses", testExpiredRemoteStatuses},
		{"ExpiredDirectStatuses", testExpiredDirectStatuses},
		{"ExpiredRemoteAccounts", testExpiredRemoteAccounts},
		{"PurgeRows", testPurgeRows},
		{"AutoDelete", testAutoDelete},
		{"Users", testUsers},
		{"Invites", testInvites},
		{"StatusRoundTrip", testStatusRoundTrip},
		{"EditStatus", testEditStatus},
		{"Threads", testThreads},
		{"Boosts", testBoosts},
		{"Favourites", testFavourites},
		{"BookmarksPins", testBookmarksPins},
		{"StatusFlags", testStatusFlags},
		{"Idempotency", testIdempotency},
		{"StatusCounters", testStatusCounters},
		{"DeleteCascades", testDeleteCascades},
		{"Visibility", testVisibility},
		{"HomeMentions", testHomeMentions},
		{"HomeBoosts", testHomeBoosts},
		{"HiddenBoosts", testHiddenBoosts},
		{"PublicTimeline", testPublicTimeline},
		{"LocalRemote", testLocalRemote},
		{"TagTimeline", testTagTimeline},
		{"AccountStatusFilters", testAccountStatusFilters},
		{"Suspended", testSuspended},
		{"Paging", testPaging},
		{"KeyedPaging", testKeyedPaging},
		{"Follows", testFollows},
		{"NotifyingFollowers", testNotifyingFollowers},
		{"FollowCounters", testFollowCounters},
		{"Blocks", testBlocks},
		{"Mutes", testMutes},
		{"Relationships", testRelationships},
		{"Notifications", testNotifications},
		{"CreateNotifications", testCreateNotifications},
		{"NotificationRecipients", testNotificationRecipients},
		{"OAuth", testOAuth},
		{"AuthCodeOnce", testAuthCodeOnce},
		{"Markers", testMarkers},
		{"Preferences", testPreferences},
		{"InstanceFigures", testInstanceFigures},
		{"Shredding", testShredding},
		{"ParallelWritesFromCold", testParallelWritesFromCold},
		{"ConcurrentFavourites", testConcurrentFavourites},
		{"ConcurrentBoosts", testConcurrentBoosts},
		{"ConcurrentReplies", testConcurrentReplies},
		{"ConcurrentFollows", testConcurrentFollows},
		{"DomainBlocks", testDomainBlocks}, {"DomainBlocksMany", testDomainBlocksMany},
		{"DomainAccounts", testDomainAccounts}, {"UserDomainBlocks", testUserDomainBlocks},
		{"Inbound", testInbound}, {"DeleteRemoteAccountData", testDeleteRemoteAccountData},
		{"AccountDeletion", testAccountDeletion},
		{"Exports", testExports},
		{"ResealKeys", testResealKeys},
		{"Delivery", testDelivery},
		{"Reports", testReports},
		{"ActivityRows", testActivityRows},
		{"Aliases", testAliases}, {"Moves", testMoves}, {"RemoteActorMoves", testRemoteActorMoves},
		{"AdminAccounts", testAdminAccounts}, {"AccountTokens", testAccountTokens},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newFx(t, open))
		})
	}
}

// fx builds fixtures on one store and checks results.
type fx struct {
	t   testing.TB
	ctx context.Context
	s   store.Store
	v   *vault.Vault
	n   int
}

func newFx(t testing.TB, open Opener) *fx {
	h := open(t)
	return &fx{t: t, ctx: context.Background(), s: h.Store, v: h.Vault}
}

// must fails the test on err.
func (f *fx) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// is checks that err wraps want.
func (f *fx) is(err, want error) {
	f.t.Helper()
	if !errors.Is(err, want) {
		f.t.Fatalf("error %v, want %v", err, want)
	}
}

// account creates a local account (and its user) named name.
func (f *fx) account(name string) *model.Account {
	f.t.Helper()
	a := &model.Account{Username: name, DisplayName: "Display " + name, Note: "bio of " + name, Discoverable: true}
	u := &model.User{Role: model.RoleUser, Approved: true, PasswordHash: "$argon2id$x", Locale: "en"}
	f.must(f.s.CreateLocalAccount(f.ctx, a, u))
	return a
}

// remote creates a remote account with its ActivityPub id.
func (f *fx) remote(name, domain string) *model.Account {
	f.t.Helper()
	a := &model.Account{Username: name, Domain: domain, DisplayName: "Remote " + name,
		URI: "https://" + domain + "/users/" + name}
	f.must(f.s.CreateRemoteAccount(f.ctx, a))
	return a
}

// post creates a status by author with the given visibility, changed by
// each opt.
func (f *fx) post(author *model.Account, vis model.Visibility, opts ...func(*model.Status)) *model.Status {
	f.t.Helper()
	f.n++
	text := fmt.Sprintf("post %d by %s", f.n, author.Username)
	st := &model.Status{AccountID: author.ID, Text: text, Content: "<p>" + text + "</p>",
		Visibility: vis, Language: "en", Local: author.Domain == ""}
	for _, o := range opts {
		o(st)
	}
	f.must(f.s.CreateStatus(f.ctx, st))
	return st
}

func mentioning(accts ...*model.Account) func(*model.Status) {
	return func(st *model.Status) {
		for _, a := range accts {
			st.Mentions = append(st.Mentions, model.Mention{AccountID: a.ID, Username: a.Username, Acct: a.Acct()})
		}
	}
}

func replyTo(parent *model.Status) func(*model.Status) {
	return func(st *model.Status) {
		st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
		st.ConversationID = parent.ConversationID
	}
}

func tagged(tags ...string) func(*model.Status) {
	return func(st *model.Status) { st.Tags = append(st.Tags, tags...) }
}

// boost creates booster's boost of st.
func (f *fx) boost(booster *model.Account, st *model.Status) *model.Status {
	f.t.Helper()
	b := &model.Status{AccountID: booster.ID, ReblogOfID: st.ID, Visibility: model.VisibilityPublic,
		Local: booster.Domain == ""}
	if st.Visibility == model.VisibilityPrivate {
		b.Visibility = model.VisibilityPrivate
	}
	f.must(f.s.CreateStatus(f.ctx, b))
	return b
}

// follow makes a follow b (accepted, showing boosts).
func (f *fx) follow(a, b *model.Account) {
	f.t.Helper()
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: a.ID, TargetID: b.ID, Reblogs: true}))
}

// request makes a ask to follow b.
func (f *fx) request(a, b *model.Account) {
	f.t.Helper()
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: a.ID, TargetID: b.ID, Reblogs: true, Pending: true}))
}

func (f *fx) reload(a *model.Account) *model.Account {
	f.t.Helper()
	got, err := f.s.Account(f.ctx, a.ID)
	f.must(err)
	return got
}

func (f *fx) status(id int64) *model.Status {
	f.t.Helper()
	got, err := f.s.Status(f.ctx, id)
	f.must(err)
	return got
}

func statusIDs(list []*model.Status) []int64 {
	out := make([]int64, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

func keys[T any](list []store.Keyed[T]) []int64 {
	out := make([]int64, len(list))
	for i, k := range list {
		out[i] = k.Key
	}
	return out
}

// newestFirst returns the IDs of list sorted newest first.
func newestFirst(list ...*model.Status) []int64 {
	ids := statusIDs(list)
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

// sameIDs checks got against want, both newest first.
func (f *fx) sameIDs(what string, got, want []int64) {
	f.t.Helper()
	if !slices.Equal(got, want) {
		f.t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// labels names statuses for readable failures.
type labels map[int64]string

func (l labels) of(ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		if n, ok := l[id]; ok {
			names[i] = n
		} else {
			names[i] = fmt.Sprint(id)
		}
	}
	return "[" + strings.Join(names, " ") + "]"
}

func ptime(t time.Time) *time.Time { return &t }

// sameTime compares times to the microsecond, the stores' resolution.
func sameTime(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

func page(limit int) store.Page { return store.Page{Limit: limit} }

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }
