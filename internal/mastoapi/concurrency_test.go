package mastoapi

import (
	"fmt"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// TestParallelInteractionsKeepCounters has many accounts favourite and
// boost one status at once, each twice, then undo it all at once: every
// request succeeds and the counters end where the rows are.
func TestParallelInteractionsKeepCounters(t *testing.T) {
	parallelInteractions(t, true)
}

// TestParallelInteractionsFromCold is the same without warming the store
// up first: the writes meet statements the store has not prepared yet
// inside their transactions. (On SQLite, preparing them on a second pooled
// connection there stalled every writer queued for the write lock until
// busy_timeout, as 500s.)
func TestParallelInteractionsFromCold(t *testing.T) {
	parallelInteractions(t, false)
}

func parallelInteractions(t *testing.T, warm bool) {
	e := newTestEnv(t)
	_, atok := e.user(t, "author", allScopes)
	st := e.postStatus(t, atok, "popular", "public")
	const users = 8
	tokens := make([]string, users)
	for i := range users {
		_, tokens[i] = e.user(t, fmt.Sprintf("fan%d", i), allScopes)
	}
	run := func(actions ...string) {
		t.Helper()
		var wg sync.WaitGroup
		for _, tok := range tokens {
			for _, action := range actions {
				for range 2 {
					wg.Go(func() {
						code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/"+action, tok, nil)
						if code != 200 {
							t.Errorf("%s: %d %s", action, code, body)
						}
					})
				}
			}
		}
		wg.Wait()
	}
	counts := func() (favs, boosts, favBy, boostBy int) {
		t.Helper()
		code, _, body := e.do(t, "GET", "/api/v1/statuses/"+st.ID, atok, nil)
		wantStatus(t, code, 200, body)
		s := decode[statusJSON](t, body)
		code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/favourited_by?limit=80", atok, nil)
		wantStatus(t, code, 200, body)
		favBy = len(decode[[]accountJSON](t, body))
		code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/reblogged_by?limit=80", atok, nil)
		wantStatus(t, code, 200, body)
		boostBy = len(decode[[]accountJSON](t, body))
		return s.FavouritesCount, s.ReblogsCount, favBy, boostBy
	}

	if warm { // see TestParallelInteractionsFromCold
		for _, action := range []string{"favourite", "reblog", "unfavourite", "unreblog"} {
			code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/"+action, tokens[0], nil)
			wantStatus(t, code, 200, body)
		}
	}
	run("favourite", "reblog")
	if f, b, fb, bb := counts(); f != users || b != users || fb != users || bb != users {
		t.Errorf("after favouriting and boosting: %d favourites (%d listed), %d boosts (%d listed), want %d", f, fb, b, bb, users)
	}
	code, _, body := e.do(t, "GET", "/api/v1/notifications?limit=80", atok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]map[string]any](t, body)); n != 2*users {
		t.Errorf("%d notifications, want %d", n, 2*users)
	}
	run("unfavourite", "unreblog")
	if f, b, fb, bb := counts(); f != 0 || b != 0 || fb != 0 || bb != 0 {
		t.Errorf("after undoing: %d favourites (%d listed), %d boosts (%d listed)", f, fb, b, bb)
	}
}

// TestParallelFollowsKeepCounters has many accounts follow one at once,
// each twice, then unfollow at once.
func TestParallelFollowsKeepCounters(t *testing.T) {
	e := newTestEnv(t)
	target, ttok := e.user(t, "target", allScopes)
	const users = 6
	tokens := make([]string, users)
	for i := range users {
		_, tokens[i] = e.user(t, fmt.Sprintf("fan%d", i), allScopes)
	}
	// Warm up (see TestParallelInteractionsFromCold) with one more account,
	// whose follow leaves one notification.
	_, warm := e.user(t, "warm", allScopes)
	for _, action := range []string{"follow", "unfollow"} {
		code, _, body := e.do(t, "POST", acctPath(target, action), warm, nil)
		wantStatus(t, code, 200, body)
	}
	run := func(action string) {
		var wg sync.WaitGroup
		for _, tok := range tokens {
			for range 2 {
				wg.Go(func() {
					code, _, body := e.do(t, "POST", acctPath(target, action), tok, nil)
					if code != 200 {
						t.Errorf("%s: %d %s", action, code, body)
					}
				})
			}
		}
		wg.Wait()
	}
	followers := func() (count, listed int) {
		code, _, body := e.do(t, "GET", "/api/v1/accounts/"+model.FormatID(target.ID), "", nil)
		wantStatus(t, code, 200, body)
		count = decode[accountJSON](t, body).FollowersCount
		code, _, body = e.do(t, "GET", "/api/v1/accounts/"+model.FormatID(target.ID)+"/followers?limit=80", "", nil)
		wantStatus(t, code, 200, body)
		return count, len(decode[[]accountJSON](t, body))
	}
	run("follow")
	if n, l := followers(); n != users || l != users {
		t.Errorf("after following: followers_count %d, %d listed, want %d", n, l, users)
	}
	code, _, body := e.do(t, "GET", "/api/v1/notifications?types[]=follow&limit=80", ttok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]map[string]any](t, body)); n != users+1 {
		t.Errorf("%d follow notifications, want %d", n, users+1)
	}
	run("unfollow")
	if n, l := followers(); n != 0 || l != 0 {
		t.Errorf("after unfollowing: followers_count %d, %d listed", n, l)
	}
}
