package storetest

import (
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testDomainBlocks: instance blocks are upserted on their domain (keeping
// ID, CreatedAt and sealed comments bound to the row), written all or
// nothing, listed, paged and deleted.
func testDomainBlocks(t *testing.T, f *fx) {
	a := &store.DomainBlock{Domain: "bad.example", Severity: store.SeveritySuspend, RejectMedia: true,
		PrivateComment: "spam wave, see ticket 12", PublicComment: "Spam"}
	b := &store.DomainBlock{Domain: "meh.example", Severity: store.SeveritySilence, Obfuscate: true}
	f.must(f.s.PutDomainBlocks(f.ctx, []*store.DomainBlock{a, b}))
	if a.ID == 0 || b.ID == 0 || a.CreatedAt.IsZero() || a.UpdatedAt.IsZero() {
		t.Fatalf("PutDomainBlocks did not fill in IDs and times: %+v %+v", a, b)
	}
	got, err := f.s.DomainBlock(f.ctx, a.ID)
	f.must(err)
	if got.Domain != a.Domain || got.Severity != store.SeveritySuspend || !got.RejectMedia || got.RejectReports ||
		got.PrivateComment != a.PrivateComment || got.PublicComment != "Spam" || !sameTime(got.CreatedAt, a.CreatedAt) {
		t.Errorf("DomainBlock = %+v, want %+v", got, a)
	}
	byName, err := f.s.DomainBlockByDomain(f.ctx, "meh.example")
	f.must(err)
	if byName.ID != b.ID || !byName.Obfuscate || byName.PrivateComment != "" {
		t.Errorf("DomainBlockByDomain = %+v", byName)
	}
	_, err = f.s.DomainBlockByDomain(f.ctx, "sub.meh.example")
	f.is(err, model.ErrNotFound)

	// Updating keeps the row.
	up := &store.DomainBlock{Domain: "bad.example", Severity: store.SeverityNoop, RejectReports: true, PublicComment: "Reports only"}
	f.must(f.s.PutDomainBlocks(f.ctx, []*store.DomainBlock{up}))
	if up.ID != a.ID || !sameTime(up.CreatedAt, a.CreatedAt) {
		t.Errorf("update made a new row: %+v, was %+v", up, a)
	}
	got, err = f.s.DomainBlock(f.ctx, a.ID)
	f.must(err)
	if got.Severity != store.SeverityNoop || got.RejectMedia || !got.RejectReports || got.PrivateComment != "" || got.PublicComment != "Reports only" {
		t.Errorf("after update: %+v", got)
	}

	// All or nothing: an invalid severity fails the whole batch.
	c := &store.DomainBlock{Domain: "new.example", Severity: store.SeveritySuspend}
	bad := &store.DomainBlock{Domain: "worse.example", Severity: "obliterate"}
	if err := f.s.PutDomainBlocks(f.ctx, []*store.DomainBlock{c, bad}); err == nil {
		t.Fatal("PutDomainBlocks accepted severity obliterate")
	}
	_, err = f.s.DomainBlockByDomain(f.ctx, "new.example")
	f.is(err, model.ErrNotFound)

	all, err := f.s.AllDomainBlocks(f.ctx, false)
	f.must(err)
	if len(all) != 2 || all[0].Domain != "bad.example" || all[1].Domain != "meh.example" || all[0].PublicComment != "" {
		t.Errorf("AllDomainBlocks(false) = %+v", all)
	}
	all, err = f.s.AllDomainBlocks(f.ctx, true)
	f.must(err)
	if len(all) != 2 || all[0].PublicComment != "Reports only" {
		t.Errorf("AllDomainBlocks(true) = %+v", all)
	}

	f.must(f.s.PutDomainBlocks(f.ctx, []*store.DomainBlock{c}))
	list, err := f.s.DomainBlocks(f.ctx, store.Page{Limit: 2})
	f.must(err)
	if ids := domainBlockIDs(list); !slices.Equal(ids, []int64{c.ID, b.ID}) {
		t.Errorf("DomainBlocks first page = %v, want %v", ids, []int64{c.ID, b.ID})
	}
	list, err = f.s.DomainBlocks(f.ctx, store.Page{MaxID: b.ID})
	f.must(err)
	if ids := domainBlockIDs(list); !slices.Equal(ids, []int64{a.ID}) {
		t.Errorf("DomainBlocks after %d = %v, want %v", b.ID, ids, []int64{a.ID})
	}
	list, err = f.s.DomainBlocks(f.ctx, store.Page{MinID: a.ID, Limit: 1})
	f.must(err)
	if ids := domainBlockIDs(list); !slices.Equal(ids, []int64{b.ID}) {
		t.Errorf("DomainBlocks min_id = %v, want %v", ids, []int64{b.ID})
	}

	f.must(f.s.DeleteDomainBlock(f.ctx, b.ID))
	f.is(f.s.DeleteDomainBlock(f.ctx, b.ID), model.ErrNotFound)
	_, err = f.s.DomainBlock(f.ctx, b.ID)
	f.is(err, model.ErrNotFound)
}

// testDomainBlocksMany pages past the statuses' limit of 40: domain lists
// page by up to 200.
func testDomainBlocksMany(t *testing.T, f *fx) {
	var bs []*store.DomainBlock
	for i := range 250 {
		bs = append(bs, &store.DomainBlock{Domain: "d" + itoa(i) + ".example", Severity: store.SeveritySilence})
	}
	f.must(f.s.PutDomainBlocks(f.ctx, bs))
	for _, c := range []struct{ limit, want int }{{0, 100}, {150, 150}, {1000, 200}} {
		list, err := f.s.DomainBlocks(f.ctx, store.Page{Limit: c.limit})
		f.must(err)
		if len(list) != c.want {
			t.Errorf("DomainBlocks limit %d: %d items, want %d", c.limit, len(list), c.want)
		}
	}
	all, err := f.s.AllDomainBlocks(f.ctx, false)
	f.must(err)
	if len(all) != 250 {
		t.Errorf("AllDomainBlocks: %d, want 250", len(all))
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func domainBlockIDs(list []*store.DomainBlock) []int64 {
	out := make([]int64, len(list))
	for i, b := range list {
		out[i] = b.ID
	}
	return out
}

// testDomainAccounts: a domain covers its subdomains, and nothing that
// merely ends with the same letters.
func testDomainAccounts(t *testing.T, f *fx) {
	in1, in2 := f.remote("one", "example.org"), f.remote("two", "a.b.example.org")
	f.remote("three", "notexample.org")
	f.remote("four", "example.org.evil")
	f.account("local")
	ids, err := f.s.DomainAccountIDs(f.ctx, "example.org")
	f.must(err)
	slices.Sort(ids)
	want := []int64{in1.ID, in2.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("DomainAccountIDs(example.org) = %v, want %v", ids, want)
	}
	ids, err = f.s.DomainAccountIDs(f.ctx, "b.example.org")
	f.must(err)
	if !slices.Equal(ids, []int64{in2.ID}) {
		t.Errorf("DomainAccountIDs(b.example.org) = %v, want %v", ids, []int64{in2.ID})
	}
}

// testUserDomainBlocks: a viewer's domain block hides the statuses (and
// boosts of them) and notifications of accounts on the domain and its
// subdomains, sets DomainBlocking, and lifts cleanly.
func testUserDomainBlocks(t *testing.T, f *fx) {
	me, friend := f.account("me"), f.account("friend")
	far, sub, near := f.remote("far", "blocked.example"), f.remote("sub", "x.blocked.example"), f.remote("near", "ok.example")
	lookalike := f.remote("look", "notblocked.example")
	for _, a := range []*model.Account{friend, far, sub, near, lookalike} {
		f.follow(me, a)
	}
	pFar := f.post(far, model.VisibilityPublic, tagged("dom"))
	pSub := f.post(sub, model.VisibilityPublic, tagged("dom"))
	pNear := f.post(near, model.VisibilityPublic, tagged("dom"))
	pLook := f.post(lookalike, model.VisibilityPublic, tagged("dom"))
	boost := f.boost(friend, pFar)
	mine := f.post(me, model.VisibilityPublic)
	nFar := &model.Notification{AccountID: me.ID, FromID: far.ID, Type: model.NotifyFavourite, StatusID: mine.ID}
	nNear := &model.Notification{AccountID: me.ID, FromID: near.ID, Type: model.NotifyFavourite, StatusID: mine.ID}
	f.must(f.s.CreateNotifications(f.ctx, []*model.Notification{nFar, nNear}))

	f.must(f.s.PutUserDomainBlock(f.ctx, me.ID, "blocked.example"))
	f.must(f.s.PutUserDomainBlock(f.ctx, me.ID, "blocked.example")) // twice is fine
	f.must(f.s.PutUserDomainBlock(f.ctx, friend.ID, "ok.example"))  // someone else's block

	home, err := f.s.HomeTimeline(f.ctx, me.ID, page(40))
	f.must(err)
	f.sameIDs("home", statusIDs(home), newestFirst(pNear, pLook, mine))
	pub, err := f.s.PublicTimeline(f.ctx, me.ID, store.TimelineOptions{}, page(40))
	f.must(err)
	f.sameIDs("public", statusIDs(pub), newestFirst(pNear, pLook, mine))
	tag, err := f.s.TagTimeline(f.ctx, me.ID, "dom", store.TimelineOptions{}, page(40))
	f.must(err)
	f.sameIDs("tag", statusIDs(tag), newestFirst(pNear, pLook))
	acc, err := f.s.AccountStatuses(f.ctx, me.ID, sub.ID, store.StatusFilter{}, page(40))
	f.must(err)
	f.sameIDs("account statuses of a subdomain account", statusIDs(acc), nil)
	// Others are not affected.
	pub, err = f.s.PublicTimeline(f.ctx, 0, store.TimelineOptions{}, page(40))
	f.must(err)
	f.sameIDs("public, signed out", statusIDs(pub), newestFirst(pFar, pSub, pNear, pLook, mine))

	ns, err := f.s.Notifications(f.ctx, me.ID, store.NotificationFilter{}, page(40))
	f.must(err)
	if len(ns) != 1 || ns[0].ID != nNear.ID {
		t.Errorf("notifications = %+v, want only %d", ns, nNear.ID)
	}

	rels, err := f.s.Relationships(f.ctx, me.ID, []int64{far.ID, sub.ID, near.ID, lookalike.ID, friend.ID})
	f.must(err)
	for i, want := range []bool{true, true, false, false, false} {
		if rels[i].DomainBlocking != want {
			t.Errorf("relationship to %d: domain_blocking %v, want %v", rels[i].ID, rels[i].DomainBlocking, want)
		}
	}

	f.must(f.s.PutUserDomainBlock(f.ctx, me.ID, "z.example"))
	list, err := f.s.UserDomainBlocks(f.ctx, me.ID, store.Page{})
	f.must(err)
	if len(list) != 2 || list[0].Value != "z.example" || list[1].Value != "blocked.example" {
		t.Fatalf("UserDomainBlocks = %+v", list)
	}
	older, err := f.s.UserDomainBlocks(f.ctx, me.ID, store.Page{MaxID: list[0].Key})
	f.must(err)
	if len(older) != 1 || older[0].Value != "blocked.example" {
		t.Errorf("UserDomainBlocks older = %+v", older)
	}

	f.must(f.s.DeleteUserDomainBlock(f.ctx, me.ID, "blocked.example"))
	f.must(f.s.DeleteUserDomainBlock(f.ctx, me.ID, "blocked.example"))
	home, err = f.s.HomeTimeline(f.ctx, me.ID, page(40))
	f.must(err)
	f.sameIDs("home after unblock", statusIDs(home), newestFirst(pFar, pSub, pNear, pLook, boost, mine))
}
