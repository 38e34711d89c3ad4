package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// The GoToSocial v0.20 capture (../../../shared/fixtures/gotosocial-v0.20)
// holds the inbox deliveries between two GoToSocial servers, A
// (localhost:8181, alice) and B (localhost:8182, bob). Each side is played
// here by a Roost server on the same domain with the same local user; the
// other side's actor documents are served as captured. Every delivery
// goes through the inbox as received, its real signature verified (the
// clock check skipped: the capture is old).

// gtsExchange is the part of a captured exchange the test reads.
type gtsExchange struct {
	Request struct {
		Method  string              `json:"method"`
		URL     string              `json:"url"`
		Headers map[string][]string `json:"headers"`
		BodyRaw *string             `json:"body_raw"`
	} `json:"request"`
	Response struct {
		Status int             `json:"status"`
		Body   json.RawMessage `json:"body"`
	} `json:"response"`
}

func gtsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ROOST_SHARED_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "fixtures", "gotosocial-v0.20")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("ROOST_REQUIRE_SHARED") == "1" {
			t.Fatalf("fixtures %s missing (ROOST_REQUIRE_SHARED=1): %v", dir, err)
		}
		t.Skipf("fixtures %s not present; set ROOST_SHARED_DIR to run this test", dir)
	}
	return dir
}

func loadExchange(t *testing.T, dir, name string) *gtsExchange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var ex gtsExchange
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &ex
}

// gtsSide is a Roost server playing one of the two GoToSocial servers.
type gtsSide struct {
	*testEnv
	ib    *inbox
	local *model.Account
}

func newGTSSide(t *testing.T, dir, domain, user string, docs ...string) *gtsSide {
	t.Helper()
	set := testSettings()
	set.Domain, set.BaseURL = domain, "http://"+domain
	e := newTestEnvWith(t, set, nil)
	net := &docNetwork{docs: map[string][]byte{}}
	for _, name := range docs {
		ex := loadExchange(t, dir, name)
		net.docs[ex.Request.URL] = ex.Response.Body
	}
	e.svc.SetFetcher(net)
	side := &gtsSide{testEnv: e, local: e.user(t, user)}
	side.ib = &inbox{h: e.h, opts: httpsig.VerifyOptions{SkipTimeCheck: true, Scheme: "http"},
		seen: newReplayCache(ReplayWindow, maxReplayEntries, e.h.now)}
	return side
}

// deliver replays a captured delivery into the side's inbox.
func (g *gtsSide) deliver(t *testing.T, dir, name string) {
	t.Helper()
	ex := loadExchange(t, dir, name)
	u, err := url.Parse(ex.Request.URL)
	if err != nil {
		t.Fatal(err)
	}
	body := *ex.Request.BodyRaw
	r := httptest.NewRequest(ex.Request.Method, u.RequestURI(), strings.NewReader(body))
	for k, vs := range ex.Request.Headers {
		if k == "Host" {
			r.Host = vs[0]
			continue
		}
		r.Header[k] = vs
	}
	w := httptest.NewRecorder()
	g.ib.serve(w, r)
	if w.Code != http.StatusAccepted {
		t.Fatalf("%s: status %d, body %s", name, w.Code, w.Body)
	}
}

func (g *gtsSide) statusByURI(t *testing.T, uri string) *model.Status {
	t.Helper()
	st, err := g.svc.StatusByURI(context.Background(), g.local.ID, uri)
	if err != nil {
		t.Fatalf("status %s: %v", uri, err)
	}
	return st
}

func TestInboxGoToSocialB(t *testing.T) {
	dir := gtsDir(t)
	ctx := context.Background()
	b := newGTSSide(t, dir, "localhost:8182", "bob", "02-get-actor-alice.json", "08-get-main-key-alice.json")
	alice, err := b.svc.ResolveActor(ctx, "http://localhost:8181/users/alice")
	if err != nil {
		t.Fatal(err)
	}
	// bob's follow of alice. GoToSocial's Accept embeds the Follow, which
	// names bob and alice: that pair finds it, whatever id Roost gave it.
	auth := &core.Auth{Account: b.local}
	follow := func() {
		t.Helper()
		if _, err := b.svc.Follow(ctx, auth, alice.ID, core.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	follow()
	if rel, err := b.svc.Relationships(ctx, auth, []int64{alice.ID}, false); err != nil || !rel[0].Requested {
		t.Fatalf("before accept (alice is locked): %+v, %v", rel, err)
	}
	b.deliver(t, dir, "20-inbox-accept-follow.json")
	rel, err := b.svc.Relationships(ctx, auth, []int64{alice.ID}, false)
	if err != nil || len(rel) != 1 || !rel[0].Following || rel[0].Requested {
		t.Fatalf("after accept: %+v, %v", rel, err)
	}

	notes := map[string]model.Visibility{
		"21-inbox-create-note-public.json":   model.VisibilityPublic,
		"23-inbox-create-note-unlisted.json": model.VisibilityUnlisted,
		"25-inbox-create-note-private.json":  model.VisibilityPrivate,
		"27-inbox-create-note-direct.json":   model.VisibilityDirect,
	}
	uris := map[string]string{}
	for name, vis := range notes {
		b.deliver(t, dir, name)
		var act struct {
			Object struct {
				ID string `json:"id"`
			} `json:"object"`
		}
		ex := loadExchange(t, dir, name)
		if err := json.Unmarshal([]byte(*ex.Request.BodyRaw), &act); err != nil {
			t.Fatal(err)
		}
		st := b.statusByURI(t, act.Object.ID)
		if st.Visibility != vis || st.AccountID != alice.ID || st.Content == "" {
			t.Errorf("%s: visibility %s (want %s), account %d, content %q", name, st.Visibility, vis, st.AccountID, st.Content)
		}
		uris[name] = act.Object.ID
	}
	// The direct note mentions bob: he is told, through the client API's view.
	l, err := b.svc.Notifications(ctx, b.local.ID, store.NotificationFilter{Types: []model.NotificationType{model.NotifyMention}}, store.Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].Status.Status.URI != uris["27-inbox-create-note-direct.json"] {
		t.Errorf("mentions %+v, %v", l, err)
	}

	pub := uris["21-inbox-create-note-public.json"]
	before := b.statusByURI(t, pub).Content
	b.deliver(t, dir, "35-inbox-update-note.json")
	if after := b.statusByURI(t, pub); after.Content == before || after.EditedAt == nil {
		t.Errorf("update: content %q, edited %v", after.Content, after.EditedAt)
	}
	b.deliver(t, dir, "38-inbox-delete-note.json")
	if _, err := b.svc.StatusByURI(ctx, b.local.ID, uris["23-inbox-create-note-unlisted.json"]); err == nil {
		t.Error("deleted note still there")
	}
	b.deliver(t, dir, "39-inbox-update-person.json")

	if _, err := b.svc.Unfollow(ctx, auth, alice.ID); err != nil {
		t.Fatal(err)
	}
	follow()
	b.deliver(t, dir, "48-inbox-accept-follow-again.json")
	if rel, err := b.svc.Relationships(ctx, auth, []int64{alice.ID}, false); err != nil || !rel[0].Following || rel[0].Requested {
		t.Errorf("after the second accept: %+v, %v", rel, err)
	}
	// Replayed deliveries are accepted and change nothing.
	b.deliver(t, dir, "21-inbox-create-note-public.json")
	if st := b.statusByURI(t, pub); st.EditedAt == nil {
		t.Error("a replayed create undid the edit")
	}
}

func TestInboxGoToSocialA(t *testing.T) {
	dir := gtsDir(t)
	ctx := context.Background()
	a := newGTSSide(t, dir, "localhost:8181", "alice", "07-get-actor-bob.json", "03-get-main-key-bob.json")
	followers := func() int {
		t.Helper()
		acc, err := a.svc.Account(ctx, a.local.ID, a.local.ID)
		if err != nil {
			t.Fatal(err)
		}
		return acc.FollowersCount
	}
	a.deliver(t, dir, "19-inbox-follow.json")
	if n := followers(); n != 1 {
		t.Fatalf("followers after follow: %d", n)
	}
	// bob's reply to alice's GoToSocial post: its parent is no status of
	// ours, so it is stored without the link.
	a.deliver(t, dir, "29-inbox-create-note-reply.json")
	reply := a.statusByURI(t, "http://localhost:8182/users/bob/statuses/01M8HDSBKW76W41AMMZAQV2TPA")
	if reply.InReplyToID != 0 || reply.Local {
		t.Errorf("reply %+v", reply)
	}
	// Likes and boosts of posts Roost never wrote are ignored.
	for _, name := range []string{"31-inbox-like.json", "32-inbox-announce.json", "33-inbox-undo-like.json", "34-inbox-undo-announce.json"} {
		a.deliver(t, dir, name)
	}
	a.deliver(t, dir, "44-inbox-block.json")
	bob, err := a.svc.ResolveActor(ctx, "http://localhost:8182/users/bob")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := a.svc.Relationships(ctx, &core.Auth{Account: a.local}, []int64{bob.ID}, false)
	if err != nil || !rel[0].BlockedBy || rel[0].FollowedBy || followers() != 0 {
		t.Errorf("after block: %+v, %v", rel, err)
	}
	a.deliver(t, dir, "45-inbox-undo-follow-implied-by-block.json")
	a.deliver(t, dir, "46-inbox-undo-block.json")
	rel, _ = a.svc.Relationships(ctx, &core.Auth{Account: a.local}, []int64{bob.ID}, false)
	if rel[0].BlockedBy {
		t.Error("block after undo")
	}
	a.deliver(t, dir, "47-inbox-follow-again.json")
	if n := followers(); n != 1 {
		t.Errorf("followers after follow again: %d", n)
	}
	a.deliver(t, dir, "49-inbox-undo-follow.json")
	if n := followers(); n != 0 {
		t.Errorf("followers after undo: %d", n)
	}
}
