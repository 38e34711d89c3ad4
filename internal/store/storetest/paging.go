package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// checkPaging checks every paging parameter against a listing whose whole
// contents, newest first, are all (at least 6 and at most 20 keys).
func (f *fx) checkPaging(what string, list func(store.Page) []int64, all []int64) {
	f.t.Helper()
	if len(all) < 6 || len(all) > 20 {
		f.t.Fatalf("%s: checkPaging needs 6 to 20 items, has %d", what, len(all))
	}
	cases := []struct {
		name string
		p    store.Page
		want []int64
	}{
		{"no bounds", store.Page{}, all},
		{"limit", store.Page{Limit: 2}, all[:2]},
		{"max_id", store.Page{MaxID: all[1], Limit: 2}, all[2:4]},
		{"max_id at the end", store.Page{MaxID: all[len(all)-1]}, nil},
		{"since_id", store.Page{SinceID: all[4], Limit: 2}, all[:2]},
		{"min_id", store.Page{MinID: all[4], Limit: 2}, all[2:4]},
		{"min_id and max_id", store.Page{MinID: all[5], MaxID: all[1]}, all[2:5]},
		{"since_id and max_id", store.Page{SinceID: all[5], MaxID: all[1], Limit: 2}, all[2:4]},
		{"min_id at the top", store.Page{MinID: all[0]}, nil},
	}
	for _, c := range cases {
		if got := list(c.p); !slices.Equal(got, c.want) && len(got)+len(c.want) > 0 {
			f.t.Errorf("%s, %s: got %v, want %v", what, c.name, got, c.want)
		}
	}
}

func testPaging(t *testing.T, f *fx) {
	a := f.account("pager")
	var posts []*model.Status
	for i := 0; i < 8; i++ {
		posts = append(posts, f.post(a, model.VisibilityPublic, tagged("p")))
	}
	all := newestFirst(posts...)
	timeline := map[string]func(store.Page) ([]*model.Status, error){
		"home": func(p store.Page) ([]*model.Status, error) { return f.s.HomeTimeline(f.ctx, a.ID, p) },
		"public": func(p store.Page) ([]*model.Status, error) {
			return f.s.PublicTimeline(f.ctx, 0, store.TimelineOptions{}, p)
		},
		"tag": func(p store.Page) ([]*model.Status, error) {
			return f.s.TagTimeline(f.ctx, 0, "p", store.TimelineOptions{}, p)
		},
		"account": func(p store.Page) ([]*model.Status, error) {
			return f.s.AccountStatuses(f.ctx, 0, a.ID, store.StatusFilter{}, p)
		},
	}
	for name, fn := range timeline {
		f.checkPaging(name, func(p store.Page) []int64 {
			l, err := fn(p)
			f.must(err)
			return statusIDs(l)
		}, all)
	}

	// Limits: 0 or less is 20, more than 40 is 40.
	for i := 0; i < 40; i++ {
		f.post(a, model.VisibilityPublic)
	}
	for _, c := range []struct{ limit, want int }{{0, 20}, {-5, 20}, {7, 7}, {40, 40}, {1000, 40}} {
		l, err := f.s.AccountStatuses(f.ctx, 0, a.ID, store.StatusFilter{}, store.Page{Limit: c.limit})
		f.must(err)
		if len(l) != c.want {
			t.Errorf("limit %d: got %d statuses, want %d", c.limit, len(l), c.want)
		}
	}
}

// keyedAccounts returns a listing's keys and account IDs.
func keyedAccountIDs(l []store.Keyed[*model.Account]) (keys, ids []int64) {
	for _, k := range l {
		keys, ids = append(keys, k.Key), append(ids, k.Value.ID)
	}
	return keys, ids
}

// checkKeyed checks a keyed account listing: it holds want (account IDs,
// most recent first), its keys descend, and it pages by key.
func (f *fx) checkKeyed(what string, list func(store.Page) ([]store.Keyed[*model.Account], error), want []int64) {
	f.t.Helper()
	l, err := list(store.Page{})
	f.must(err)
	keys, ids := keyedAccountIDs(l)
	if !slices.Equal(ids, want) {
		f.t.Errorf("%s: accounts %v, want %v", what, ids, want)
		return
	}
	if !slices.IsSortedFunc(keys, func(a, b int64) int { return cmp.Compare(b, a) }) {
		f.t.Errorf("%s: keys not descending: %v", what, keys)
	}
	f.checkPaging(what, func(p store.Page) []int64 {
		l, err := list(p)
		f.must(err)
		k, _ := keyedAccountIDs(l)
		return k
	}, keys)
}

func testKeyedPaging(t *testing.T, f *fx) {
	me := f.account("me")
	var others []*model.Account
	for i := 0; i < 6; i++ {
		others = append(others, f.account("o"+string(rune('a'+i))))
	}
	mine := f.post(me, model.VisibilityPublic)
	var ids []int64 // most recent first
	var statuses []*model.Status
	for _, o := range others {
		ids = append([]int64{o.ID}, ids...)
		f.follow(o, me)
		f.follow(me, o)
		_, err := f.s.AddFavourite(f.ctx, o.ID, mine.ID)
		f.must(err)
		f.boost(o, mine)
		st := f.post(o, model.VisibilityPublic)
		statuses = append([]*model.Status{st}, statuses...)
		_, err = f.s.AddFavourite(f.ctx, me.ID, st.ID)
		f.must(err)
		f.must(f.s.AddBookmark(f.ctx, me.ID, st.ID))
	}
	f.checkKeyed("followers", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Followers(f.ctx, me.ID, p)
	}, ids)
	f.checkKeyed("following", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Following(f.ctx, me.ID, p)
	}, ids)
	f.checkKeyed("favourited by", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.FavouritedBy(f.ctx, mine.ID, p)
	}, ids)
	f.checkKeyed("reblogged by", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.RebloggedBy(f.ctx, mine.ID, p)
	}, ids)

	for name, list := range map[string]func(int64, store.Page) ([]store.Keyed[*model.Status], error){
		"favourites": func(id int64, p store.Page) ([]store.Keyed[*model.Status], error) {
			return f.s.Favourites(f.ctx, id, p)
		},
		"bookmarks": func(id int64, p store.Page) ([]store.Keyed[*model.Status], error) { return f.s.Bookmarks(f.ctx, id, p) },
	} {
		l, err := list(me.ID, store.Page{})
		f.must(err)
		got := make([]int64, len(l))
		for i, k := range l {
			got[i] = k.Value.ID
		}
		f.sameIDs(name, got, statusIDs(statuses))
		f.checkPaging(name, func(p store.Page) []int64 {
			l, err := list(me.ID, p)
			f.must(err)
			return keys(l)
		}, keys(l))
	}

	// Blocks, mutes and requests on a fresh account.
	quiet := f.account("quiet")
	var blocked []int64
	for _, o := range others {
		blocked = append([]int64{o.ID}, blocked...)
		f.must(f.s.PutBlock(f.ctx, quiet.ID, o.ID))
		f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: quiet.ID, TargetID: o.ID}))
		f.request(o, quiet)
	}
	f.checkKeyed("blocks", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Blocks(f.ctx, quiet.ID, p)
	}, blocked)
	f.checkKeyed("mutes", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.Mutes(f.ctx, quiet.ID, p)
	}, blocked)
	f.checkKeyed("follow requests", func(p store.Page) ([]store.Keyed[*model.Account], error) {
		return f.s.FollowRequests(f.ctx, quiet.ID, p)
	}, blocked)
}
