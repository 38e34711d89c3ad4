package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testStatusRoundTrip(t *testing.T, f *fx) {
	a, b := f.account("amy"), f.account("ben")
	created := time.Date(2025, 2, 3, 4, 5, 6, 789000, time.UTC)
	st := &model.Status{AccountID: a.ID, URI: "https://x/1", URL: "https://x/@amy/1", Text: "hi @ben #Go",
		Content: "<p>hi</p>", SpoilerText: "cw", Sensitive: true, Visibility: model.VisibilityUnlisted,
		Language: "en", ConversationID: 99, Local: true, CreatedAt: created,
		Mentions: []model.Mention{{AccountID: b.ID, Username: "ben", Acct: "ben"}},
		Tags:     []string{"Go", "#roost", "go"},
		Emojis:   []model.Emoji{{Shortcode: "blobcat", URL: "https://x/emoji/blobcat.png"}}}
	f.must(f.s.CreateStatus(f.ctx, st))
	if st.ID == 0 {
		t.Fatal("status ID not set")
	}
	got := f.status(st.ID)
	if got.AccountID != a.ID || got.URI != st.URI || got.URL != st.URL || got.Text != st.Text ||
		got.Content != st.Content || got.SpoilerText != "cw" || !got.Sensitive ||
		got.Visibility != model.VisibilityUnlisted || got.Language != "en" || got.ConversationID != 99 ||
		!got.Local || !sameTime(got.CreatedAt, created) || got.EditedAt != nil || got.InReplyToID != 0 || got.ReblogOfID != 0 {
		t.Errorf("status round trip: %+v", got)
	}
	if len(got.Mentions) != 1 || got.Mentions[0] != st.Mentions[0] {
		t.Errorf("mentions: %+v", got.Mentions)
	}
	if !slices.Equal(got.Tags, []string{"go", "roost"}) {
		t.Errorf("tags: %v, want lower-cased, deduplicated [go roost]", got.Tags)
	}
	if !slices.Equal(got.Emojis, st.Emojis) {
		t.Errorf("emojis: %+v", got.Emojis)
	}
	_, err := f.s.Status(f.ctx, st.ID+1)
	f.is(err, model.ErrNotFound)

	other := f.post(b, model.VisibilityPublic)
	m, err := f.s.StatusesByID(f.ctx, []int64{st.ID, other.ID, 1})
	f.must(err)
	if len(m) != 2 || m[st.ID].Text != st.Text || m[other.ID].Text != other.Text {
		t.Errorf("StatusesByID: %v", m)
	}
}

func testEditStatus(t *testing.T, f *fx) {
	a, b, c := f.account("ed"), f.account("bea"), f.account("cy")
	for _, v := range []*model.Account{b, c} { // a direct status reaches a follower's home
		f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: v.ID, TargetID: a.ID}))
	}
	st := f.post(a, model.VisibilityDirect, mentioning(b), tagged("old"))
	prev := &model.StatusEdit{Text: st.Text, Content: st.Content, SpoilerText: "first cw", Sensitive: true,
		CreatedAt: st.CreatedAt}
	edited := time.Now().UTC()
	st.Text, st.Content, st.SpoilerText, st.Sensitive, st.Language = "new text", "<p>new text</p>", "", false, "de"
	st.Mentions = []model.Mention{{AccountID: c.ID, Username: "cy", Acct: "cy"}}
	st.Tags = []string{"new"}
	st.EditedAt = &edited
	st.AccountID = b.ID // ignored: the stored author owns the status
	f.must(f.s.EditStatus(f.ctx, st, prev))

	got := f.status(st.ID)
	if got.AccountID != a.ID || got.Text != "new text" || got.SpoilerText != "" || got.Sensitive ||
		got.Language != "de" || got.EditedAt == nil || !sameTime(*got.EditedAt, edited) ||
		!slices.Equal(got.Tags, []string{"new"}) || len(got.Mentions) != 1 || got.Mentions[0].AccountID != c.ID {
		t.Errorf("after edit: %+v", got)
	}
	// The direct status now reaches c, no longer b; the tag index moved.
	home := func(v *model.Account) []int64 {
		l, err := f.s.HomeTimeline(f.ctx, v.ID, store.Page{})
		f.must(err)
		return statusIDs(l)
	}
	f.sameIDs("home of newly mentioned", home(c), []int64{st.ID})
	f.sameIDs("home of no longer mentioned", home(b), []int64{})
	if l, err := f.s.AccountStatuses(f.ctx, a.ID, a.ID, store.StatusFilter{Tag: "old"}, store.Page{}); err != nil || len(l) != 0 {
		t.Errorf("old tag still indexed: %v %v", statusIDs(l), err)
	}

	st.Text = "third"
	f.must(f.s.EditStatus(f.ctx, st, &model.StatusEdit{Text: "new text", Content: "<p>new text</p>"}))
	edits, err := f.s.StatusEdits(f.ctx, st.ID)
	f.must(err)
	if len(edits) != 2 || edits[0].Text != prev.Text || edits[0].SpoilerText != "first cw" || !edits[0].Sensitive ||
		edits[1].Text != "new text" || edits[0].StatusID != st.ID || edits[0].AccountID != a.ID || edits[0].ID >= edits[1].ID {
		t.Errorf("edits, oldest first: %+v", edits)
	}
	f.is(f.s.EditStatus(f.ctx, &model.Status{ID: 12345}, &model.StatusEdit{}), model.ErrNotFound)
}

func testThreads(t *testing.T, f *fx) {
	a, b := f.account("tia"), f.account("tom")
	root := f.post(a, model.VisibilityPublic)
	r1 := f.post(b, model.VisibilityPublic, replyTo(root))
	r2 := f.post(a, model.VisibilityPublic, replyTo(root))
	r11 := f.post(a, model.VisibilityPublic, replyTo(r1))
	r111 := f.post(b, model.VisibilityPublic, replyTo(r11))
	r21 := f.post(b, model.VisibilityPublic, replyTo(r2))
	r12 := f.post(b, model.VisibilityPublic, replyTo(r1))
	f.post(a, model.VisibilityPublic) // unrelated
	l := labels{root.ID: "root", r1.ID: "r1", r2.ID: "r2", r11.ID: "r11", r111.ID: "r111", r21.ID: "r21", r12.ID: "r12"}

	anc, err := f.s.Ancestors(f.ctx, r111.ID, 10)
	f.must(err)
	if want := []int64{root.ID, r1.ID, r11.ID}; !slices.Equal(statusIDs(anc), want) {
		t.Errorf("ancestors = %s, want %s", l.of(statusIDs(anc)), l.of(want))
	}
	anc, err = f.s.Ancestors(f.ctx, r111.ID, 2)
	f.must(err)
	if want := []int64{r1.ID, r11.ID}; !slices.Equal(statusIDs(anc), want) {
		t.Errorf("ancestors limit 2 = %s, want the nearest two %s", l.of(statusIDs(anc)), l.of(want))
	}
	anc, err = f.s.Ancestors(f.ctx, root.ID, 10)
	f.must(err)
	if len(anc) != 0 {
		t.Errorf("root has ancestors %v", statusIDs(anc))
	}

	desc, err := f.s.Descendants(f.ctx, root.ID, 10)
	f.must(err)
	if want := []int64{r1.ID, r11.ID, r111.ID, r12.ID, r2.ID, r21.ID}; !slices.Equal(statusIDs(desc), want) {
		t.Errorf("descendants = %s, want depth first %s", l.of(statusIDs(desc)), l.of(want))
	}
	desc, err = f.s.Descendants(f.ctx, root.ID, 3)
	f.must(err)
	if want := []int64{r1.ID, r11.ID, r111.ID}; !slices.Equal(statusIDs(desc), want) {
		t.Errorf("descendants limit 3 = %s, want %s", l.of(statusIDs(desc)), l.of(want))
	}
}

func testBoosts(t *testing.T, f *fx) {
	a, b := f.account("bo"), f.account("bi")
	st := f.post(a, model.VisibilityPublic)
	bst := f.boost(b, st)
	got, err := f.s.ReblogBy(f.ctx, b.ID, st.ID)
	f.must(err)
	if got.ID != bst.ID || got.ReblogOfID != st.ID || got.Text != "" {
		t.Errorf("ReblogBy: %+v", got)
	}
	_, err = f.s.ReblogBy(f.ctx, a.ID, st.ID)
	f.is(err, model.ErrNotFound)
	err = f.s.CreateStatus(f.ctx, &model.Status{AccountID: b.ID, ReblogOfID: st.ID, Visibility: model.VisibilityPublic})
	f.is(err, model.ErrConflict)
	if n := f.status(st.ID).ReblogsCount; n != 1 {
		t.Errorf("reblogs_count = %d after a refused second boost", n)
	}
	by, err := f.s.RebloggedBy(f.ctx, st.ID, store.Page{})
	f.must(err)
	if len(by) != 1 || by[0].Key != bst.ID || by[0].Value.ID != b.ID {
		t.Errorf("RebloggedBy: %+v", by)
	}
}

func testFavourites(t *testing.T, f *fx) {
	a, b, c := f.account("fa"), f.account("fb"), f.account("fc")
	st := f.post(a, model.VisibilityPublic)
	for i, want := range []bool{true, false} {
		created, err := f.s.AddFavourite(f.ctx, b.ID, st.ID)
		f.must(err)
		if created != want {
			t.Errorf("AddFavourite #%d created = %v", i+1, created)
		}
	}
	_, err := f.s.AddFavourite(f.ctx, c.ID, st.ID)
	f.must(err)
	if n := f.status(st.ID).FavouritesCount; n != 2 {
		t.Errorf("favourites_count = %d, want 2", n)
	}
	by, err := f.s.FavouritedBy(f.ctx, st.ID, store.Page{})
	f.must(err)
	if len(by) != 2 || by[0].Value.ID != c.ID || by[1].Value.ID != b.ID {
		t.Errorf("FavouritedBy newest first: %+v", by)
	}
	favs, err := f.s.Favourites(f.ctx, b.ID, store.Page{})
	f.must(err)
	if len(favs) != 1 || favs[0].Value.ID != st.ID || favs[0].Value.Text != st.Text || favs[0].Key == st.ID {
		t.Errorf("Favourites keyed by favourite row: %+v", favs)
	}
	for i, want := range []bool{true, false} {
		removed, err := f.s.RemoveFavourite(f.ctx, b.ID, st.ID)
		f.must(err)
		if removed != want {
			t.Errorf("RemoveFavourite #%d removed = %v", i+1, removed)
		}
	}
	if n := f.status(st.ID).FavouritesCount; n != 1 {
		t.Errorf("favourites_count = %d, want 1", n)
	}
	_, err = f.s.AddFavourite(f.ctx, b.ID, 123456)
	f.is(err, model.ErrNotFound)
}

func testBookmarksPins(t *testing.T, f *fx) {
	a := f.account("bm")
	s1, s2 := f.post(a, model.VisibilityPublic), f.post(a, model.VisibilityPrivate)
	f.must(f.s.AddBookmark(f.ctx, a.ID, s1.ID))
	f.must(f.s.AddBookmark(f.ctx, a.ID, s2.ID))
	f.must(f.s.AddBookmark(f.ctx, a.ID, s1.ID)) // idempotent
	bms, err := f.s.Bookmarks(f.ctx, a.ID, store.Page{})
	f.must(err)
	if got := []int64{bms[0].Value.ID, bms[1].Value.ID}; len(bms) != 2 || !slices.Equal(got, []int64{s2.ID, s1.ID}) {
		t.Errorf("bookmarks: %+v", bms)
	}
	f.must(f.s.RemoveBookmark(f.ctx, a.ID, s2.ID))
	f.must(f.s.RemoveBookmark(f.ctx, a.ID, s2.ID))
	bms, err = f.s.Bookmarks(f.ctx, a.ID, store.Page{})
	f.must(err)
	if len(bms) != 1 || bms[0].Value.ID != s1.ID {
		t.Errorf("bookmarks after removal: %+v", bms)
	}
	f.is(f.s.AddBookmark(f.ctx, a.ID, 424242), model.ErrNotFound)

	f.must(f.s.AddPin(f.ctx, a.ID, s1.ID))
	f.must(f.s.AddPin(f.ctx, a.ID, s2.ID))
	f.must(f.s.AddPin(f.ctx, a.ID, s2.ID))
	if n, err := f.s.CountPins(f.ctx, a.ID); err != nil || n != 2 {
		t.Errorf("CountPins = %d, %v", n, err)
	}
	f.must(f.s.RemovePin(f.ctx, a.ID, s1.ID))
	if n, err := f.s.CountPins(f.ctx, a.ID); err != nil || n != 1 {
		t.Errorf("CountPins after removal = %d, %v", n, err)
	}
}

func testStatusFlags(t *testing.T, f *fx) {
	a, v := f.account("fl"), f.account("viewer")
	s1, s2, s3 := f.post(a, model.VisibilityPublic), f.post(a, model.VisibilityPublic), f.post(v, model.VisibilityPublic)
	_, err := f.s.AddFavourite(f.ctx, v.ID, s1.ID)
	f.must(err)
	f.boost(v, s1)
	f.must(f.s.AddBookmark(f.ctx, v.ID, s2.ID))
	f.must(f.s.AddPin(f.ctx, v.ID, s3.ID))
	_, err = f.s.AddFavourite(f.ctx, a.ID, s2.ID) // someone else's favourite
	f.must(err)
	flags, err := f.s.StatusFlags(f.ctx, v.ID, []int64{s1.ID, s2.ID, s3.ID})
	f.must(err)
	want := map[int64]model.StatusFlags{
		s1.ID: {Favourited: true, Reblogged: true},
		s2.ID: {Bookmarked: true},
		s3.ID: {Pinned: true},
	}
	for id, w := range want {
		if flags[id] != w {
			t.Errorf("flags of %d = %+v, want %+v", id, flags[id], w)
		}
	}
}

func testIdempotency(t *testing.T, f *fx) {
	a, b := f.account("idem"), f.account("other")
	st := f.post(a, model.VisibilityPublic)
	now := time.Now().UTC()
	f.must(f.s.RememberIdempotency(f.ctx, a.ID, "key-1", st.ID, now.Add(time.Hour)))
	id, err := f.s.IdempotentStatus(f.ctx, a.ID, "key-1", now)
	f.must(err)
	if id != st.ID {
		t.Errorf("IdempotentStatus = %d, want %d", id, st.ID)
	}
	_, err = f.s.IdempotentStatus(f.ctx, b.ID, "key-1", now)
	f.is(err, model.ErrNotFound)
	_, err = f.s.IdempotentStatus(f.ctx, a.ID, "key-1", now.Add(2*time.Hour))
	f.is(err, model.ErrNotFound)
	_, err = f.s.IdempotentStatus(f.ctx, a.ID, "key-2", now)
	f.is(err, model.ErrNotFound)
}
