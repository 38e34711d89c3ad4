package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// timelines lists what each timeline shows viewer, as IDs newest first.
type timelines struct {
	f      *fx
	author int64 // the account AccountStatuses reads
	tag    string
}

func (tl timelines) home(viewer int64) []int64 {
	l, err := tl.f.s.HomeTimeline(tl.f.ctx, viewer, store.Page{Limit: 40})
	tl.f.must(err)
	return statusIDs(l)
}

func (tl timelines) public(viewer int64) []int64 {
	l, err := tl.f.s.PublicTimeline(tl.f.ctx, viewer, store.TimelineOptions{}, store.Page{Limit: 40})
	tl.f.must(err)
	return statusIDs(l)
}

func (tl timelines) tagged(viewer int64) []int64 {
	l, err := tl.f.s.TagTimeline(tl.f.ctx, viewer, tl.tag, store.TimelineOptions{}, store.Page{Limit: 40})
	tl.f.must(err)
	return statusIDs(l)
}

func (tl timelines) account(viewer int64) []int64 {
	l, err := tl.f.s.AccountStatuses(tl.f.ctx, viewer, tl.author, store.StatusFilter{}, store.Page{Limit: 40})
	tl.f.must(err)
	return statusIDs(l)
}

// testVisibility checks all four visibilities in every timeline for every
// kind of viewer. This is the store's most important promise.
func testVisibility(t *testing.T, f *fx) {
	author := f.account("author")
	follower, pending := f.account("follower"), f.account("pending")
	mentioned, stranger := f.account("mentioned"), f.account("stranger")
	blocked, blocker, muter := f.account("blocked"), f.account("blocker"), f.account("muter")

	f.follow(follower, author)
	f.request(pending, author)
	f.follow(blocked, author)
	f.follow(blocker, author)
	f.follow(muter, author)
	f.must(f.s.PutBlock(f.ctx, author.ID, blocked.ID))
	f.must(f.s.PutBlock(f.ctx, blocker.ID, author.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: muter.ID, TargetID: author.ID, Notifications: true}))

	// Every status mentions everyone who could be tempted to see it.
	opts := []func(*model.Status){mentioning(mentioned, blocked, blocker, muter), tagged("vis")}
	pub := f.post(author, model.VisibilityPublic, opts...)
	unl := f.post(author, model.VisibilityUnlisted, opts...)
	priv := f.post(author, model.VisibilityPrivate, opts...)
	dir := f.post(author, model.VisibilityDirect, opts...)
	l := labels{pub.ID: "public", unl.ID: "unlisted", priv.ID: "private", dir.ID: "direct"}

	all := newestFirst(pub, unl, priv, dir)
	open := newestFirst(pub, unl)
	none := []int64{}
	cases := []struct {
		viewer                string
		id                    int64
		account, home, public []int64
	}{
		{"author", author.ID, all, all, []int64{pub.ID}},
		{"follower", follower.ID, newestFirst(pub, unl, priv), newestFirst(pub, unl, priv), []int64{pub.ID}},
		{"pending follower", pending.ID, open, none, []int64{pub.ID}},
		{"mentioned", mentioned.ID, all, none, []int64{pub.ID}},
		{"stranger", stranger.ID, open, none, []int64{pub.ID}},
		{"signed out", 0, open, none, []int64{pub.ID}},
		{"blocked by author", blocked.ID, none, none, none},
		{"blocking author", blocker.ID, none, none, none},
		{"muting author", muter.ID, none, none, none},
	}
	tl := timelines{f: f, author: author.ID, tag: "vis"}
	for _, c := range cases {
		check := func(timeline string, got, want []int64) {
			t.Helper()
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%s sees in %s: %s, want %s", c.viewer, timeline, l.of(got), l.of(want))
			}
		}
		check("account statuses", tl.account(c.id), c.account)
		check("home", tl.home(c.id), c.home)
		check("public", tl.public(c.id), c.public)
		check("tag", tl.tagged(c.id), c.public)
	}
}

// testHomeMentions: statuses that mention the viewer reach the viewer's
// home only from accounts the viewer follows, as on Mastodon (a stranger's
// mentions are notifications); direct ones included, unless a block, a
// mute or a suspension hides their author.
func testHomeMentions(t *testing.T, f *fx) {
	v, other := f.account("viewer"), f.account("other")
	stranger, blocked, muted, suspended := f.account("stranger"), f.account("blocked"), f.account("muted"), f.account("suspended")
	f.must(f.s.PutBlock(f.ctx, v.ID, blocked.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: v.ID, TargetID: muted.ID}))

	privMention := f.post(stranger, model.VisibilityPrivate, mentioning(other, v))
	dirMention := f.post(stranger, model.VisibilityDirect, mentioning(v))
	pubMention := f.post(stranger, model.VisibilityPublic, mentioning(v)) // not followed: not home
	unlMention := f.post(stranger, model.VisibilityUnlisted, mentioning(v))
	privOther := f.post(stranger, model.VisibilityPrivate, mentioning(other))
	privPlain := f.post(stranger, model.VisibilityPrivate)
	fromBlocked := f.post(blocked, model.VisibilityPrivate, mentioning(v))
	fromMuted := f.post(muted, model.VisibilityPrivate, mentioning(v))
	fromSuspended := f.post(suspended, model.VisibilityPrivate, mentioning(v))
	f.must(f.s.SetAccountSuspended(f.ctx, suspended.ID, ptime(time.Now())))
	l := labels{privMention.ID: "private mention", dirMention.ID: "direct mention", pubMention.ID: "public mention",
		unlMention.ID: "unlisted mention", privOther.ID: "private mentioning another", privPlain.ID: "private",
		fromBlocked.ID: "from blocked", fromMuted.ID: "from muted", fromSuspended.ID: "from suspended"}

	tl := timelines{f: f, author: stranger.ID}
	check := func(what string, got, want []int64) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %s, want %s", what, l.of(got), l.of(want))
		}
	}
	check("viewer's home, not following", tl.home(v.ID), []int64{})
	check("other's home, not following", tl.home(other.ID), []int64{})
	check("stranger's statuses seen by viewer", tl.account(v.ID),
		newestFirst(privMention, dirMention, pubMention, unlMention))
	check("stranger's statuses seen by other", tl.account(other.ID),
		newestFirst(privMention, pubMention, unlMention, privOther))
	check("stranger's statuses seen by the stranger", tl.account(stranger.ID),
		newestFirst(privMention, dirMention, pubMention, unlMention, privOther, privPlain))
	check("stranger's statuses signed out", tl.account(0), newestFirst(pubMention, unlMention))
	for _, a := range []*model.Account{blocked, muted} {
		got, err := f.s.AccountStatuses(f.ctx, v.ID, a.ID, store.StatusFilter{}, store.Page{})
		f.must(err)
		check(a.Username+"'s statuses seen by viewer", statusIDs(got), []int64{})
	}
	// Following the stranger (and the hidden ones) brings its statuses the
	// viewer may see, its direct mention included.
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: v.ID, TargetID: stranger.ID}))
	for _, a := range []*model.Account{blocked, muted, suspended} {
		f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: v.ID, TargetID: a.ID}))
	}
	check("viewer's home, following", tl.home(v.ID),
		newestFirst(privMention, dirMention, pubMention, unlMention, privOther, privPlain))
}

func testHomeBoosts(t *testing.T, f *fx) {
	v := f.account("viewer")
	withBoosts, noBoosts, requested := f.account("withboosts"), f.account("noboosts"), f.account("requested")
	other := f.account("other") // not followed
	f.follow(v, withBoosts)
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: v.ID, TargetID: noBoosts.ID, Reblogs: false}))
	f.request(v, requested)

	p1, p2, p3 := f.post(other, model.VisibilityPublic), f.post(other, model.VisibilityPublic), f.post(other, model.VisibilityPublic)
	secret := f.post(other, model.VisibilityPrivate)
	b1 := f.boost(withBoosts, p1)
	b2 := f.boost(noBoosts, p2)
	b3 := f.boost(requested, p3)
	bSecret := f.boost(withBoosts, secret) // v does not follow other: must not leak
	own := f.boost(v, p3)
	ownPost := f.post(noBoosts, model.VisibilityPublic)
	reqPost := f.post(requested, model.VisibilityPublic)
	l := labels{b1.ID: "boost(shown)", b2.ID: "boost(reblogs off)", b3.ID: "boost(pending)",
		bSecret.ID: "boost(private of unfollowed)", own.ID: "own boost", ownPost.ID: "post(reblogs off)",
		reqPost.ID: "post(pending)"}

	home, err := f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
	f.must(err)
	if got, want := statusIDs(home), newestFirst(b1, own, ownPost); !slices.Equal(got, want) {
		t.Errorf("home = %s, want %s", l.of(got), l.of(want))
	}

	// Following the private status's author makes its boost visible.
	f.follow(v, other)
	home, err = f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
	f.must(err)
	if !slices.Contains(statusIDs(home), bSecret.ID) {
		t.Errorf("home of a follower of the boosted author lacks the boost: %s", l.of(statusIDs(home)))
	}
}

// testHiddenBoosts: boosts of statuses by accounts the viewer blocks, is
// blocked by or mutes are left out everywhere, and so are boosts by them.
func testHiddenBoosts(t *testing.T, f *fx) {
	v, friend := f.account("viewer"), f.account("friend")
	blockedByV, blocksV, mutedByV, fine := f.account("blockedbyv"), f.account("blocksv"), f.account("mutedbyv"), f.account("fine")
	f.follow(v, friend)
	f.follow(v, mutedByV)
	f.must(f.s.PutBlock(f.ctx, v.ID, blockedByV.ID))
	f.must(f.s.PutBlock(f.ctx, blocksV.ID, v.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: v.ID, TargetID: mutedByV.ID}))

	for _, a := range []*model.Account{blockedByV, blocksV, mutedByV} {
		f.boost(friend, f.post(a, model.VisibilityPublic))
	}
	f.boost(mutedByV, f.post(fine, model.VisibilityPublic))
	shown := f.boost(friend, f.post(fine, model.VisibilityPublic))

	home, err := f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
	f.must(err)
	f.sameIDs("home", statusIDs(home), []int64{shown.ID})
	acc, err := f.s.AccountStatuses(f.ctx, v.ID, friend.ID, store.StatusFilter{}, store.Page{})
	f.must(err)
	f.sameIDs("friend's statuses", statusIDs(acc), []int64{shown.ID})
	acc, err = f.s.AccountStatuses(f.ctx, 0, friend.ID, store.StatusFilter{}, store.Page{})
	f.must(err)
	if len(acc) != 4 {
		t.Errorf("signed out sees %d of friend's boosts, want 4", len(acc))
	}
}

func testPublicTimeline(t *testing.T, f *fx) {
	a, b := f.account("pa"), f.account("pb")
	pub := f.post(a, model.VisibilityPublic)
	priv := f.post(a, model.VisibilityPrivate)
	f.boost(b, pub)
	replyPub := f.post(b, model.VisibilityPublic, replyTo(pub))
	replyPriv := f.post(b, model.VisibilityPublic, replyTo(priv)) // others' followers-only post: left out
	selfReply := f.post(a, model.VisibilityPublic, replyTo(priv))
	l := labels{pub.ID: "pub", replyPub.ID: "reply to public", replyPriv.ID: "reply to private", selfReply.ID: "self reply"}
	got, err := f.s.PublicTimeline(f.ctx, 0, store.TimelineOptions{}, store.Page{})
	f.must(err)
	if want := newestFirst(pub, replyPub, selfReply); !slices.Equal(statusIDs(got), want) {
		t.Errorf("public = %s, want %s", l.of(statusIDs(got)), l.of(want))
	}
	got, err = f.s.PublicTimeline(f.ctx, 0, store.TimelineOptions{OnlyMedia: true}, store.Page{})
	f.must(err)
	if len(got) != 0 {
		t.Errorf("only_media returned %d statuses; there is no media", len(got))
	}
}

func testLocalRemote(t *testing.T, f *fx) {
	loc := f.account("local")
	rem := f.remote("far", "remote.example")
	ls := f.post(loc, model.VisibilityPublic, tagged("both"))
	rs := f.post(rem, model.VisibilityPublic, tagged("both"))
	cases := []struct {
		name string
		o    store.TimelineOptions
		want []int64
	}{
		{"all", store.TimelineOptions{}, newestFirst(ls, rs)},
		{"local", store.TimelineOptions{Local: true}, []int64{ls.ID}},
		{"remote", store.TimelineOptions{Remote: true}, []int64{rs.ID}},
		{"local and remote", store.TimelineOptions{Local: true, Remote: true}, newestFirst(ls, rs)},
	}
	for _, c := range cases {
		got, err := f.s.PublicTimeline(f.ctx, loc.ID, c.o, store.Page{})
		f.must(err)
		f.sameIDs("public "+c.name, statusIDs(got), c.want)
		got, err = f.s.TagTimeline(f.ctx, loc.ID, "both", c.o, store.Page{})
		f.must(err)
		f.sameIDs("tag "+c.name, statusIDs(got), c.want)
	}
	peers, err := f.s.Peers(f.ctx)
	f.must(err)
	if !slices.Equal(peers, []string{"remote.example"}) {
		t.Errorf("peers = %v", peers)
	}
}

func testTagTimeline(t *testing.T, f *fx) {
	a, b := f.account("ta"), f.account("tb")
	f.follow(b, a)
	cats := f.post(a, model.VisibilityPublic, tagged("Cats"))
	f.post(a, model.VisibilityPublic, tagged("dogs"))
	f.post(a, model.VisibilityUnlisted, tagged("cats"))
	f.post(a, model.VisibilityPrivate, tagged("cats"))
	f.boost(b, cats)
	cats2 := f.post(b, model.VisibilityPublic, tagged("cats", "dogs"))
	for _, q := range []string{"cats", "CATS", "#Cats"} {
		got, err := f.s.TagTimeline(f.ctx, b.ID, q, store.TimelineOptions{}, store.Page{})
		f.must(err)
		f.sameIDs("tag "+q, statusIDs(got), newestFirst(cats, cats2))
	}
	got, err := f.s.TagTimeline(f.ctx, b.ID, "cats", store.TimelineOptions{OnlyMedia: true}, store.Page{})
	f.must(err)
	if len(got) != 0 {
		t.Errorf("only_media tag timeline returned %d statuses", len(got))
	}
}

func testAccountStatusFilters(t *testing.T, f *fx) {
	a, b, v := f.account("fa"), f.account("fb"), f.account("fv")
	other := f.post(b, model.VisibilityPublic)
	top := f.post(a, model.VisibilityPublic, tagged("x"))
	selfReply := f.post(a, model.VisibilityPublic, replyTo(top))
	reply := f.post(a, model.VisibilityPublic, replyTo(other))
	boost := f.boost(a, other)
	pinnedPriv := f.post(a, model.VisibilityPrivate)
	f.must(f.s.AddPin(f.ctx, a.ID, top.ID))
	f.must(f.s.AddPin(f.ctx, a.ID, pinnedPriv.ID))
	f.must(f.s.AddPin(f.ctx, b.ID, reply.ID)) // another account's pin doesn't count
	l := labels{top.ID: "top", selfReply.ID: "self reply", reply.ID: "reply", boost.ID: "boost", pinnedPriv.ID: "pinned private"}
	cases := []struct {
		name   string
		viewer int64
		f      store.StatusFilter
		want   []int64
	}{
		{"none", v.ID, store.StatusFilter{}, newestFirst(top, selfReply, reply, boost)},
		{"pinned", v.ID, store.StatusFilter{Pinned: true}, []int64{top.ID}},
		{"pinned by author", a.ID, store.StatusFilter{Pinned: true}, newestFirst(top, pinnedPriv)},
		{"exclude replies", v.ID, store.StatusFilter{ExcludeReplies: true}, newestFirst(top, selfReply, boost)},
		{"exclude reblogs", v.ID, store.StatusFilter{ExcludeReblogs: true}, newestFirst(top, selfReply, reply)},
		{"both", v.ID, store.StatusFilter{ExcludeReplies: true, ExcludeReblogs: true}, newestFirst(top, selfReply)},
		{"tag", v.ID, store.StatusFilter{Tag: "X"}, []int64{top.ID}},
		{"only media", v.ID, store.StatusFilter{OnlyMedia: true}, nil},
	}
	for _, c := range cases {
		got, err := f.s.AccountStatuses(f.ctx, c.viewer, a.ID, c.f, store.Page{})
		f.must(err)
		if ids := statusIDs(got); !slices.Equal(ids, c.want) && len(ids)+len(c.want) > 0 {
			t.Errorf("%s: %s, want %s", c.name, l.of(ids), l.of(c.want))
		}
	}
}

func testSuspended(t *testing.T, f *fx) {
	a, v := f.account("sus"), f.account("sv")
	f.follow(v, a)
	st := f.post(a, model.VisibilityPublic, tagged("s"))
	boost := f.boost(v, st)
	f.must(f.s.SetAccountSuspended(f.ctx, a.ID, ptime(time.Now())))
	home, _ := f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
	pub, _ := f.s.PublicTimeline(f.ctx, v.ID, store.TimelineOptions{}, store.Page{})
	tag, _ := f.s.TagTimeline(f.ctx, 0, "s", store.TimelineOptions{}, store.Page{})
	acc, _ := f.s.AccountStatuses(f.ctx, v.ID, a.ID, store.StatusFilter{}, store.Page{})
	if len(home)+len(pub)+len(tag)+len(acc) != 0 {
		t.Errorf("suspended author still seen: home %v public %v tag %v account %v",
			statusIDs(home), statusIDs(pub), statusIDs(tag), statusIDs(acc))
	}
	f.must(f.s.SetAccountSuspended(f.ctx, a.ID, nil))
	home, _ = f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
	f.sameIDs("home after unsuspend", statusIDs(home), newestFirst(st, boost))
}
