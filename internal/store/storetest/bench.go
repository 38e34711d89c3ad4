package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Home timeline fixture, as issue 2 sets the target: a viewer following 200
// accounts, 100,000 statuses stored. The statuses are spread over 1,000
// accounts, so a fifth of them come from accounts the viewer follows. A
// second, "sparse" viewer follows 200 quiet accounts that wrote only 0.5%
// of the statuses: the home query's worst case.
const (
	benchAccounts = 1000
	benchQuiet    = 200
	benchFollows  = 200
	benchStatuses = 100_000
	quietShare    = 0.005
)

// BenchmarkHomeTimeline measures reading a 20-status page of the home
// timeline, decryption included: the first page, and a page deep in the
// past (max_id at the middle of the data). The fixture is built once per
// call; the sub-benchmarks reuse it.
func BenchmarkHomeTimeline(b *testing.B, open Opener) {
	h := open(b)
	start := time.Now()
	fx := BuildHomeFixture(b, h)
	b.Logf("fixture: %d statuses in %v", benchStatuses, time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		viewer int64
		p      store.Page
	}{
		{"first", fx.Viewer, store.Page{Limit: 20}},
		{"deep", fx.Viewer, store.Page{Limit: 20, MaxID: fx.Middle}},
		{"sparse", fx.Sparse, store.Page{Limit: 20}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l, err := h.Store.HomeTimeline(ctx, c.viewer, c.p)
				if err != nil || len(l) != 20 {
					b.Fatalf("home timeline: %d statuses, %v", len(l), err)
				}
			}
		})
	}
}

// BenchmarkCreateStatus measures posting a status with a mention and two
// tags by an account with followers.
func BenchmarkCreateStatus(b *testing.B, open Opener) {
	h := open(b)
	f := &fx{t: b, ctx: context.Background(), s: h.Store, v: h.Vault}
	author, friend := f.account("author"), f.account("friend")
	for i := 0; i < 10; i++ {
		f.follow(f.account(fmt.Sprintf("fan%d", i)), author)
	}
	text := lorem(200)
	b.ReportAllocs()
	for b.Loop() {
		st := &model.Status{AccountID: author.ID, Text: text, Content: "<p>" + text + "</p>",
			Visibility: model.VisibilityPublic, Language: "en", Local: true, Tags: []string{"bench", "roost"},
			Mentions: []model.Mention{{AccountID: friend.ID, Username: "friend", Acct: "friend"}}}
		if err := h.Store.CreateStatus(f.ctx, st); err != nil {
			b.Fatal(err)
		}
	}
}

func lorem(n int) string {
	const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
	return strings.Repeat(words, n/len(words)+1)[:n]
}

// HomeFixture is what the home timeline benchmarks read, here and in the
// packages above the store (core measures its own home timeline on it).
type HomeFixture struct {
	// Viewer follows 200 of 1,000 busy accounts, blocks 5 and mutes 5;
	// Sparse follows 200 quiet accounts. All are local accounts with
	// approved users.
	Viewer, Sparse int64
	Middle         int64 // a status ID halfway through the data
}

// BuildHomeFixture fills an empty store with the home timeline fixture
// (100,000 statuses; a few seconds on SQLite) and refreshes the planner's
// statistics.
func BuildHomeFixture(tb testing.TB, h Harness) HomeFixture {
	tb.Helper()
	f := &fx{t: tb, ctx: context.Background(), s: h.Store, v: h.Vault}
	r := rand.New(rand.NewPCG(1, 2))
	accounts := make([]*model.Account, benchAccounts)
	for i := range accounts {
		accounts[i] = f.account(fmt.Sprintf("acct%d", i))
	}
	quiet := make([]*model.Account, benchQuiet)
	sparse := f.account("sparse")
	for i := range quiet {
		quiet[i] = f.account(fmt.Sprintf("quiet%d", i))
		f.follow(sparse, quiet[i])
	}
	v := accounts[0]
	for _, i := range r.Perm(benchAccounts - 1)[:benchFollows] {
		f.must(h.Store.PutFollow(f.ctx, &model.Follow{AccountID: v.ID, TargetID: accounts[i+1].ID, Reblogs: i%4 != 0}))
	}
	for i := 1; i <= 5; i++ { // a few blocks and mutes, as real viewers have
		f.must(h.Store.PutBlock(f.ctx, v.ID, accounts[benchAccounts-i].ID))
		f.must(h.Store.PutMute(f.ctx, &model.Mute{AccountID: v.ID, TargetID: accounts[benchAccounts-10-i].ID}))
	}
	g := &statusGen{r: r, accounts: accounts, quiet: quiet, viewer: v, boosted: map[[2]int64]bool{}, text: lorem(200)}
	out := HomeFixture{Viewer: v.ID, Sparse: sparse.ID}
	const batch = 5000
	for n := 0; n < benchStatuses; n += batch {
		list := make([]*model.Status, batch)
		for i := range list {
			list[i] = g.next()
		}
		f.must(createAll(f, list))
		if n+batch == benchStatuses/2 {
			out.Middle = list[batch-1].ID
		}
	}
	if o, ok := h.Store.(Optimizer); ok {
		f.must(o.Optimize(f.ctx))
	}
	return out
}

func createAll(f *fx, list []*model.Status) error {
	if bulk, ok := f.s.(BulkStatusCreator); ok {
		return bulk.CreateStatuses(f.ctx, list)
	}
	for _, st := range list {
		if err := f.s.CreateStatus(f.ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// statusGen makes a realistic mix: mostly public posts, some unlisted,
// private and direct ones, replies, and boosts.
type statusGen struct {
	r        *rand.Rand
	accounts []*model.Account
	quiet    []*model.Account // post a quietShare of the statuses
	viewer   *model.Account
	recent   []*model.Status // boostable and repliable statuses
	boosted  map[[2]int64]bool
	text     string
}

// next makes a status; its ID is set now, so later ones can refer to it
// before it is stored.
func (g *statusGen) next() *model.Status {
	now := time.Now().UTC()
	a := g.accounts[g.r.IntN(len(g.accounts))]
	if g.r.Float64() < quietShare {
		a = g.quiet[g.r.IntN(len(g.quiet))]
	}
	st := &model.Status{ID: model.NewID(now), CreatedAt: now, AccountID: a.ID, Text: g.text,
		Content: "<p>" + g.text + "</p>", Visibility: model.VisibilityPublic, Language: "en", Local: true}
	switch p := g.r.IntN(100); {
	case p < 5 && len(g.recent) > 0:
		orig := g.recent[g.r.IntN(len(g.recent))]
		key := [2]int64{a.ID, orig.ID}
		if orig.AccountID != a.ID && !g.boosted[key] {
			g.boosted[key] = true
			return &model.Status{ID: st.ID, CreatedAt: now, AccountID: a.ID, ReblogOfID: orig.ID,
				Visibility: model.VisibilityPublic, Local: true}
		}
	case p < 15 && len(g.recent) > 0:
		parent := g.recent[g.r.IntN(len(g.recent))]
		st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
	case p < 20:
		st.Visibility = model.VisibilityUnlisted
	case p < 25:
		st.Visibility = model.VisibilityPrivate
	case p < 30:
		st.Visibility = model.VisibilityDirect
		to := g.accounts[g.r.IntN(len(g.accounts))]
		if g.r.IntN(10) == 0 {
			to = g.viewer
		}
		st.Mentions = []model.Mention{{AccountID: to.ID, Username: to.Username, Acct: to.Username}}
	}
	if g.r.IntN(5) == 0 {
		st.Tags = []string{"tag" + fmt.Sprint(g.r.IntN(50))}
	}
	if st.Visibility == model.VisibilityPublic {
		if len(g.recent) < 500 {
			g.recent = append(g.recent, st)
		} else {
			g.recent[g.r.IntN(len(g.recent))] = st
		}
	}
	return st
}
