package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// apiCall calls the Mastodon API of s with token and a form body, and
// returns the status code.
func apiCall(t *testing.T, s *server, method, path, token string, form url.Values) int {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// TestDelivery follows what a local account does out to remote inboxes
// over real HTTP, every POST signed and verified against the actor
// document Roost serves.
func TestDelivery(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		s := startDeliveryPeer(t, db, fastDelivery())
		svc := s.app.Service()
		alice, aliceTok := s.userToken(t, "alice")
		me := s.URL + "/users/alice"

		// Three followers on a server with a shared inbox, none on a
		// second server, whose user only gets what names it.
		crowd := newTestInbox(t, true)
		for _, n := range []string{"f1", "f2", "f3"} {
			s.remoteFollower(t, crowd, n, alice, false)
		}
		lone := newTestInbox(t, false)
		stranger := s.remoteFollower(t, lone, "stranger", nil, false)
		defer crowd.checkClean(t)
		defer lone.checkClean(t)

		// A public post: one Create to the shared inbox for all three.
		pub, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: "hello fediverse", Visibility: model.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		noteID := me + "/statuses/" + model.FormatID(pub.Status.ID)
		d := crowd.waitFor(t, "the Create of the public post", ofType("Create", noteID))
		if d.Path != "/inbox" {
			t.Errorf("Create went to %s, not the shared inbox", d.Path)
		}
		if note, _ := d.Act["object"].(map[string]any); note == nil || !strings.Contains(note["content"].(string), "hello fediverse") {
			t.Errorf("Create carries %v", d.Act["object"])
		}

		// An edit reaches the same inboxes as an Update of the Note.
		if _, err := svc.EditStatus(ctx, alice, pub.Status.ID, core.StatusEdit{Text: "hello again"}); err != nil {
			t.Fatal(err)
		}
		crowd.waitFor(t, "the Update of the post", func(d delivered) bool {
			id, typ := d.object()
			o, _ := d.Act["object"].(map[string]any)
			return d.typ() == "Update" && id == noteID && typ == "Note" && strings.Contains(o["content"].(string), "hello again")
		})

		// A followers-only post reaches the followers' server, never a
		// non-follower's.
		priv, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: "friends only", Visibility: model.VisibilityPrivate})
		if err != nil {
			t.Fatal(err)
		}
		privID := me + "/statuses/" + model.FormatID(priv.Status.ID)
		crowd.waitFor(t, "the Create of the private post", ofType("Create", privID))

		// Delete after Create: the inbox holds the Create for a while; the
		// Delete, published meanwhile, must wait for it.
		entered := make(chan struct{}, 1)
		crowd.set(func(in *testInbox) {
			in.hold = func(act map[string]any) bool {
				if act["type"] == "Create" {
					entered <- struct{}{}
					time.Sleep(1500 * time.Millisecond)
				}
				return false
			}
		})
		gone, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: "short-lived", Visibility: model.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		goneID := me + "/statuses/" + model.FormatID(gone.Status.ID)
		select {
		case <-entered:
		case <-time.After(20 * time.Second):
			t.Fatal("the Create never arrived")
		}
		crowd.set(func(in *testInbox) { in.hold = nil })
		if _, err := svc.DeleteStatus(ctx, alice.ID, gone.Status.ID); err != nil {
			t.Fatal(err)
		}
		crowd.waitFor(t, "the Delete", ofType("Delete", goneID))
		var order []string
		for _, d := range crowd.received() {
			if id, _ := d.object(); id == goneID {
				order = append(order, d.typ())
			}
		}
		if !slices.Equal(order, []string{"Create", "Delete"}) {
			t.Errorf("activities about the deleted post arrived as %v", order)
		}

		// Follow and Undo, to the followed account's own inbox.
		if _, err := svc.Follow(ctx, &core.Auth{Account: alice}, stranger.ID, core.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
		follow := lone.waitFor(t, "the Follow", ofType("Follow", stranger.URI))
		if follow.Path != "/users/stranger/inbox" || follow.Act["actor"] != me {
			t.Errorf("Follow: %s %v", follow.Path, follow.Act)
		}
		if _, err := svc.Unfollow(ctx, &core.Auth{Account: alice}, stranger.ID); err != nil {
			t.Fatal(err)
		}
		lone.waitFor(t, "the Undo of the Follow", ofType("Undo", follow.id()))

		// Like a remote status, then Block its author.
		remoteSt := &model.Status{ID: model.NewID(time.Now()), AccountID: stranger.ID, URI: lone.URL + "/notes/1",
			Visibility: model.VisibilityPublic, Text: "remote", Content: "<p>remote</p>", CreatedAt: time.Now()}
		if err := s.app.Store().CreateStatus(ctx, remoteSt); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Favourite(ctx, alice.ID, remoteSt.ID); err != nil {
			t.Fatal(err)
		}
		like := lone.waitFor(t, "the Like", ofType("Like", remoteSt.URI))
		if _, err := svc.Unfavourite(ctx, alice.ID, remoteSt.ID); err != nil {
			t.Fatal(err)
		}
		lone.waitFor(t, "the Undo of the Like", ofType("Undo", like.id()))

		// A boost goes to the booster's followers and the boosted author;
		// undoing it sends Undo(Announce) to both.
		boost, err := svc.Reblog(ctx, alice, remoteSt.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		ann := lone.waitFor(t, "the Announce", ofType("Announce", remoteSt.URI))
		crowd.waitFor(t, "the Announce", ofType("Announce", remoteSt.URI))
		if want := me + "/statuses/" + model.FormatID(boost.Status.ID) + "/activity"; ann.id() != want {
			t.Errorf("Announce id %s, want %s", ann.id(), want)
		}
		if _, err := svc.Unreblog(ctx, alice.ID, remoteSt.ID); err != nil {
			t.Fatal(err)
		}
		lone.waitFor(t, "the Undo of the Announce", ofType("Undo", ann.id()))
		crowd.waitFor(t, "the Undo of the Announce", ofType("Undo", ann.id()))

		if _, err := svc.Block(ctx, &core.Auth{Account: alice}, stranger.ID); err != nil {
			t.Fatal(err)
		}
		block := lone.waitFor(t, "the Block", ofType("Block", stranger.URI))
		if _, err := svc.Unblock(ctx, &core.Auth{Account: alice}, stranger.ID); err != nil {
			t.Fatal(err)
		}
		lone.waitFor(t, "the Undo of the Block", ofType("Undo", block.id()))

		// A follow request authorized through the Mastodon API: Accept,
		// naming the requester's Follow by its id.
		if code := apiCall(t, s, http.MethodPatch, "/api/v1/accounts/update_credentials", aliceTok,
			url.Values{"locked": {"true"}}); code != 200 {
			t.Fatalf("lock: %d", code)
		}
		asker := s.remoteFollower(t, lone, "asker", alice, true)
		if code := apiCall(t, s, http.MethodPost, "/api/v1/follow_requests/"+model.FormatID(asker.ID)+"/authorize",
			aliceTok, nil); code != 200 {
			t.Fatalf("authorize: %d", code)
		}
		lone.waitFor(t, "the Accept", ofType("Accept", lone.URL+"/follows/asker"))
		pest := s.remoteFollower(t, lone, "pest", alice, true)
		if code := apiCall(t, s, http.MethodPost, "/api/v1/follow_requests/"+model.FormatID(pest.ID)+"/reject",
			aliceTok, nil); code != 200 {
			t.Fatalf("reject: %d", code)
		}
		lone.waitFor(t, "the Reject", ofType("Reject", lone.URL+"/follows/pest"))

		// A profile change reaches the followers as Update(Person).
		if code := apiCall(t, s, http.MethodPatch, "/api/v1/accounts/update_credentials", aliceTok,
			url.Values{"display_name": {"Alice Liddell"}}); code != 200 {
			t.Fatalf("update credentials: %d", code)
		}
		upd := crowd.waitFor(t, "the Update of the actor", func(d delivered) bool {
			o, _ := d.Act["object"].(map[string]any)
			return d.typ() == "Update" && o != nil && o["type"] == "Person" && o["name"] == "Alice Liddell"
		})
		if upd.Path != "/inbox" {
			t.Errorf("Update went to %s", upd.Path)
		}

		// Nothing reached the non-follower but what named it, and the
		// shared inbox got each activity once.
		for _, d := range lone.received() {
			if d.typ() == "Create" {
				id, _ := d.object()
				t.Errorf("a non-follower received the Create of %s", id)
			}
		}
		if n := crowd.count(ofType("Create", noteID)); n != 1 {
			t.Errorf("the shared inbox got the public post %d times, want once", n)
		}
		s.assertLogsClean(t, aliceTok, "hello fediverse", "friends only", "/users/stranger/inbox")
	})
}

// deliveryFixture is a Roost with alice, followed by fan on an inbox.
type deliveryFixture struct {
	s     *server
	svc   *core.Service
	alice *model.Account
	in    *testInbox
	host  string
}

func newDeliveryFixture(t *testing.T, o federation.DeliverOptions) *deliveryFixture {
	s := startDeliveryPeer(t, databases[0], o)
	alice, _ := s.userToken(t, "alice")
	in := newTestInbox(t, false)
	s.remoteFollower(t, in, "fan", alice, false)
	t.Cleanup(func() { in.checkClean(t) })
	return &deliveryFixture{s: s, svc: s.app.Service(), alice: alice, in: in, host: strings.TrimPrefix(in.URL, "http://")}
}

// post publishes a public status and returns its id.
func (f *deliveryFixture) post(t *testing.T, text string) string {
	t.Helper()
	v, err := f.svc.PostStatus(context.Background(), f.alice, core.NewStatus{Text: text, Visibility: model.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	return f.s.URL + "/users/alice/statuses/" + model.FormatID(v.Status.ID)
}

func (f *deliveryFixture) failures(t *testing.T) int {
	t.Helper()
	h, err := f.svc.DeliveryHost(context.Background(), f.host)
	if err != nil {
		t.Fatal(err)
	}
	return h.Failures
}

// TestDeliveryRetries: a 500 is retried until the inbox takes the
// activity, and the host's failures are forgotten; a 410 ends the job at
// once.
func TestDeliveryRetries(t *testing.T) {
	f := newDeliveryFixture(t, fastDelivery())
	in := f.in
	in.set(func(in *testInbox) { in.answers = []int{500, 500} })
	id := f.post(t, "try again")
	in.waitFor(t, "the retried Create", ofType("Create", id))
	if n := in.postCount(); n != 3 {
		t.Errorf("%d POSTs for one retried delivery, want 3", n)
	}
	// The worker records the success after the inbox has answered, so the
	// count is awaited, not read at once.
	waitUntil(t, "the host's failures forgotten after the success", func() bool { return f.failures(t) == 0 })

	in.set(func(in *testInbox) { in.always = http.StatusGone; in.posts = 0 })
	f.post(t, "gone")
	waitUntil(t, "the 410", func() bool { return in.postCount() >= 1 })
	time.Sleep(2500 * time.Millisecond)
	if n := in.postCount(); n != 1 {
		t.Errorf("%d POSTs to an inbox that answered 410, want 1", n)
	}
}

// TestDeliveryRetryAfter: a 429 or 503 with Retry-After is tried again
// when the server asked, not after the (here, hour-long) backoff; without
// the header, the backoff rules.
func TestDeliveryRetryAfter(t *testing.T) {
	o := fastDelivery()
	o.Backoff = func(int) time.Duration { return time.Hour }
	f := newDeliveryFixture(t, o)
	in := f.in
	in.set(func(in *testInbox) { in.answers = []int{429, 503}; in.retryAfter = "1" })
	id := f.post(t, "later please")
	in.waitFor(t, "the Create after two Retry-Afters", ofType("Create", id))
	if n := in.postCount(); n != 3 {
		t.Errorf("%d POSTs, want 3", n)
	}
	in.set(func(in *testInbox) { in.answers = []int{503}; in.retryAfter = ""; in.posts = 0 })
	f.post(t, "no header")
	waitUntil(t, "the 503", func() bool { return in.postCount() >= 1 })
	time.Sleep(2500 * time.Millisecond)
	if n := in.postCount(); n != 1 {
		t.Errorf("%d POSTs after a 503 without Retry-After and an hour's backoff, want 1", n)
	}
}

// TestDeliveryUnavailable: a host failing for long (here, from its first
// failure on) is skipped but for a probe every ProbeEvery, and recovers on
// its first success.
func TestDeliveryUnavailable(t *testing.T) {
	o := fastDelivery()
	o.UnavailableAfter = time.Millisecond
	o.ProbeEvery = 4 * time.Second
	o.Backoff = func(int) time.Duration { return time.Hour }
	f := newDeliveryFixture(t, o)
	in := f.in
	in.set(func(in *testInbox) { in.always = 500 })
	f.post(t, "down")
	waitUntil(t, "the failure", func() bool { return f.failures(t) > 0 })
	if n := in.postCount(); n != 1 {
		t.Fatalf("%d POSTs before the host failed, want 1", n)
	}
	failed := time.Now()
	f.post(t, "skipped")
	time.Sleep(2500 * time.Millisecond)
	if n := in.postCount(); n != 1 && time.Since(failed) < o.ProbeEvery {
		t.Errorf("%d POSTs: the unavailable host was not skipped", n)
	}
	in.set(func(in *testInbox) { in.always = 0 })
	time.Sleep(time.Until(failed.Add(o.ProbeEvery + 500*time.Millisecond)))
	probe := f.post(t, "probe")
	in.waitFor(t, "the probe", ofType("Create", probe))
	waitUntil(t, "recovery", func() bool { return f.failures(t) == 0 })
	after := f.post(t, "back")
	in.waitFor(t, "a delivery after recovery", ofType("Create", after))
	if n := in.postCount(); n != 3 {
		t.Errorf("%d POSTs in all, want 3 (failure, probe, after)", n)
	}
}

// TestDeliveryDoubleKnock: an inbox that only takes draft-cavage gets RFC
// 9421 first, then cavage; the next delivery goes straight to cavage.
func TestDeliveryDoubleKnock(t *testing.T) {
	ctx := context.Background()
	s := startDeliveryPeer(t, databases[0], fastDelivery())
	svc := s.app.Service()
	alice, _ := s.userToken(t, "alice")
	in := newTestInbox(t, false)
	s.remoteFollower(t, in, "old", alice, false)
	defer in.checkClean(t)
	in.set(func(in *testInbox) { in.onlyCavage = true })
	for i, text := range []string{"first", "second"} {
		v, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: text, Visibility: model.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		in.waitFor(t, "post "+text, ofType("Create", s.URL+"/users/alice/statuses/"+model.FormatID(v.Status.ID)))
		want := []httpsig.Mode{httpsig.ModeRFC9421, httpsig.ModeCavage, httpsig.ModeCavage}[:2+i]
		if got := in.signatureModes(); !slices.Equal(got, want) {
			t.Errorf("after %s: signature modes %v, want %v", text, got, want)
		}
	}
}

// waitUntil polls cond for up to 20 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
