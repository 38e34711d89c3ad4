package core

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// statusWorld is a Service with helpers for the statuses tests.
type statusWorld struct {
	t   *testing.T
	s   *Service
	ctx context.Context
}

func newStatusWorld(t *testing.T) *statusWorld {
	t.Helper()
	return &statusWorld{t: t, s: newTestService(t), ctx: context.Background()}
}

func (w *statusWorld) user(name string) *model.Account {
	w.t.Helper()
	return mustCreateUser(w.t, w.s, name)
}

func (w *statusWorld) post(a *model.Account, text string, vis model.Visibility) *model.Status {
	w.t.Helper()
	v, err := w.s.PostStatus(w.ctx, a, NewStatus{Text: text, Visibility: vis})
	if err != nil {
		w.t.Fatalf("post %q: %v", text, err)
	}
	return v.Status
}

func (w *statusWorld) reply(a *model.Account, parent *model.Status, text string, vis model.Visibility) *model.Status {
	w.t.Helper()
	v, err := w.s.PostStatus(w.ctx, a, NewStatus{Text: text, Visibility: vis, InReplyToID: parent.ID})
	if err != nil {
		w.t.Fatalf("reply %q: %v", text, err)
	}
	return v.Status
}

func (w *statusWorld) follow(a, b *model.Account, notify bool) {
	w.t.Helper()
	if _, err := w.s.Follow(w.ctx, &Auth{Account: a}, b.ID, FollowOptions{Notify: &notify}); err != nil {
		w.t.Fatalf("follow: %v", err)
	}
}

func (w *statusWorld) block(a, b *model.Account) {
	w.t.Helper()
	if _, err := w.s.Block(w.ctx, &Auth{Account: a}, b.ID); err != nil {
		w.t.Fatalf("block: %v", err)
	}
}

func (w *statusWorld) mute(a, b *model.Account, notifications bool) {
	w.t.Helper()
	if _, err := w.s.Mute(w.ctx, &Auth{Account: a}, b.ID, notifications, 0); err != nil {
		w.t.Fatalf("mute: %v", err)
	}
}

// notifications returns a's notifications, newest first.
func (w *statusWorld) notifications(a *model.Account) []*NotificationView {
	w.t.Helper()
	l, err := w.s.Notifications(w.ctx, a.ID, store.NotificationFilter{}, store.Page{Limit: 40})
	if err != nil {
		w.t.Fatalf("notifications: %v", err)
	}
	return l.Items
}

func wantErr(t *testing.T, err, kind error, msg string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want %v", err, kind)
	}
	var ve *model.ValidationError
	if msg != "" && (!errors.As(err, &ve) || ve.Msg != msg) {
		t.Fatalf("error %q, want message %q", err, msg)
	}
}

func TestPostStatusRendersAndResolves(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	v, err := w.s.PostStatus(w.ctx, alice, NewStatus{
		Text: "hi @bob and @Bob@roost.test, not @nobody nor @carol@elsewhere.org #Go #go #Roost",
	})
	if err != nil {
		t.Fatal(err)
	}
	st := v.Status
	if len(st.Mentions) != 1 || st.Mentions[0].AccountID != bob.ID || st.Mentions[0].Acct != "bob" {
		t.Errorf("mentions %+v, want only bob", st.Mentions)
	}
	if len(v.Mentions) != 1 || v.Mentions[0].ID != bob.ID {
		t.Errorf("view mentions %+v", v.Mentions)
	}
	if strings.Join(st.Tags, ",") != "go,roost" {
		t.Errorf("tags %v", st.Tags)
	}
	for _, want := range []string{`href="https://roost.test/@bob"`, `href="https://roost.test/tags/go"`, "@nobody", "@carol@elsewhere.org"} {
		if !strings.Contains(st.Content, want) {
			t.Errorf("content %s lacks %s", st.Content, want)
		}
	}
	if strings.Contains(st.Content, "elsewhere.org\"") {
		t.Errorf("remote mention was linked: %s", st.Content)
	}
	if st.Visibility != model.VisibilityPublic || st.ConversationID != st.ID || v.Account.ID != alice.ID {
		t.Errorf("status %+v", st)
	}
	ns := w.notifications(bob)
	if len(ns) != 1 || ns[0].Notification.Type != model.NotifyMention || ns[0].Status.Status.ID != st.ID {
		t.Fatalf("bob's notifications %+v", ns)
	}
}

func TestPostStatusValidation(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	_, err := w.s.PostStatus(w.ctx, alice, NewStatus{Text: "  \n "})
	wantErr(t, err, model.ErrInvalid, "Text can't be blank")

	_, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: strings.Repeat("a", 501)})
	wantErr(t, err, model.ErrInvalid, "Text character limit of 500 exceeded")
	_, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: strings.Repeat("a", 490), SpoilerText: "twelve chars"})
	wantErr(t, err, model.ErrInvalid, "Text character limit of 500 exceeded")
	if _, err := w.s.PostStatus(w.ctx, alice, NewStatus{Text: strings.Repeat("é", 500)}); err != nil {
		t.Errorf("500 characters refused: %v", err)
	}
	// A URL counts 23 whatever its length.
	long := "https://example.org/" + strings.Repeat("x", 600)
	if _, err := w.s.PostStatus(w.ctx, alice, NewStatus{Text: long}); err != nil {
		t.Errorf("long URL refused: %v", err)
	}
	_, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: "x", Visibility: "everyone"})
	wantErr(t, err, model.ErrInvalid, "")

	// A content warning alone becomes the text, as in Mastodon.
	v, err := w.s.PostStatus(w.ctx, alice, NewStatus{SpoilerText: "only a warning"})
	if err != nil || v.Status.Text != "only a warning" || v.Status.SpoilerText != "" {
		t.Fatalf("spoiler-only post: %v %+v", err, v)
	}
	v, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: "x", SpoilerText: "cw", Language: "FR"})
	if err != nil || !v.Status.Sensitive || v.Status.Language != "fr" {
		t.Fatalf("a content warning makes a status sensitive: %v %+v", err, v.Status)
	}
	v, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: "x", Language: "not a language"})
	if err != nil || v.Status.Language != "" {
		t.Fatalf("bad language should fall back: %v %+v", err, v.Status)
	}
}

func TestPostStatusDefaults(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	if err := w.s.store.SetPreferences(w.ctx, alice.ID, &model.Preferences{
		PostingVisibility: model.VisibilityUnlisted, PostingSensitive: true, PostingLanguage: "de",
	}); err != nil {
		t.Fatal(err)
	}
	v, err := w.s.PostStatus(w.ctx, alice, NewStatus{Text: "defaults"})
	if err != nil {
		t.Fatal(err)
	}
	if st := v.Status; st.Visibility != model.VisibilityUnlisted || !st.Sensitive || st.Language != "de" {
		t.Errorf("defaults not applied: %+v", st)
	}
	no := false
	v, err = w.s.PostStatus(w.ctx, alice, NewStatus{Text: "explicit", Visibility: model.VisibilityPublic, Sensitive: &no, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if st := v.Status; st.Visibility != model.VisibilityPublic || st.Sensitive || st.Language != "en" {
		t.Errorf("explicit values not kept: %+v", st)
	}
}

func TestReplies(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob, carol := w.user("alice"), w.user("bob"), w.user("carol")
	root := w.post(alice, "root", model.VisibilityPublic)
	r1 := w.reply(bob, root, "reply", model.VisibilityPublic)
	r2 := w.reply(bob, r1, "self reply", model.VisibilityPublic)
	if r1.InReplyToAccountID != alice.ID || r2.InReplyToAccountID != alice.ID {
		t.Errorf("in_reply_to_account_id %d, %d; want alice's %d (carried over a self-reply)", r1.InReplyToAccountID, r2.InReplyToAccountID, alice.ID)
	}
	if r1.ConversationID != root.ConversationID || r2.ConversationID != root.ConversationID {
		t.Errorf("conversation not inherited")
	}
	got, err := w.s.Status(w.ctx, 0, root.ID)
	if err != nil || got.Status.RepliesCount != 1 {
		t.Errorf("replies_count: %v %+v", err, got)
	}
	// A reply to something the poster cannot see does not exist.
	secret := w.post(alice, "followers only", model.VisibilityPrivate)
	_, err = w.s.PostStatus(w.ctx, carol, NewStatus{Text: "hi", InReplyToID: secret.ID})
	if !errors.Is(err, ErrReplyNotFound) {
		t.Errorf("reply to invisible: %v", err)
	}
	_, err = w.s.PostStatus(w.ctx, carol, NewStatus{Text: "hi", InReplyToID: 12345})
	if !errors.Is(err, ErrReplyNotFound) || !errors.Is(err, model.ErrNotFound) {
		t.Errorf("reply to missing: %v", err)
	}
}

func TestIdempotencyKey(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestServiceWith(t, testSettings(), func() time.Time { return now })
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	post := func(a *model.Account, key string) int64 {
		t.Helper()
		v, err := s.PostStatus(ctx, a, NewStatus{Text: "once", IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return v.Status.ID
	}
	first := post(alice, "k1")
	if again := post(alice, "k1"); again != first {
		t.Errorf("same key made a second status %d (first %d)", again, first)
	}
	if other := post(alice, "k2"); other == first {
		t.Error("another key returned the first status")
	}
	if other := post(bob, "k1"); other == first {
		t.Error("another account's key returned alice's status")
	}
	now = now.Add(61 * time.Minute)
	if later := post(alice, "k1"); later == first {
		t.Error("key remembered after an hour")
	}
	l, err := s.AccountStatuses(ctx, alice.ID, alice.ID, store.StatusFilter{}, store.Page{Limit: 40})
	if err != nil || len(l.Items) != 3 {
		t.Fatalf("alice has %d statuses (%v), want 3", len(l.Items), err)
	}
}

func TestEditHistorySource(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob, carol := w.user("alice"), w.user("bob"), w.user("carol")
	st := w.post(alice, "first", model.VisibilityPublic)
	if _, err := w.s.Reblog(w.ctx, carol, st.ID, ""); err != nil {
		t.Fatal(err)
	}
	cw := "cw"
	v, err := w.s.EditStatus(w.ctx, alice, st.ID, StatusEdit{Text: "second @bob", SpoilerText: &cw})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status.Text != "second @bob" || v.Status.EditedAt == nil || !v.Status.Sensitive || len(v.Status.Mentions) != 1 {
		t.Errorf("edited status %+v", v.Status)
	}
	if _, err := w.s.EditStatus(w.ctx, alice, st.ID, StatusEdit{Text: "third @bob"}); err != nil {
		t.Fatal(err)
	}
	hist, author, err := w.s.StatusHistory(w.ctx, bob.ID, st.ID)
	if err != nil || author.ID != alice.ID {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range hist {
		texts = append(texts, e.Text)
	}
	if strings.Join(texts, "|") != "first|second @bob|third @bob" {
		t.Errorf("history %v", texts)
	}
	src, err := w.s.StatusSource(w.ctx, alice.ID, st.ID)
	if err != nil || src.Text != "third @bob" || src.SpoilerText != "cw" {
		t.Errorf("source %+v %v", src, err)
	}
	_, err = w.s.StatusSource(w.ctx, bob.ID, st.ID)
	wantErr(t, err, model.ErrForbidden, "")
	_, err = w.s.EditStatus(w.ctx, bob, st.ID, StatusEdit{Text: "hijack"})
	wantErr(t, err, model.ErrForbidden, "")
	_, err = w.s.EditStatus(w.ctx, alice, st.ID, StatusEdit{Text: ""})
	wantErr(t, err, model.ErrInvalid, "Text can't be blank")

	// bob is told once, on the edit that first mentioned him; carol, who
	// boosted, is told of each edit.
	if ns := w.notifications(bob); len(ns) != 1 || ns[0].Notification.Type != model.NotifyMention {
		t.Errorf("bob's notifications %+v", ns)
	}
	ns := w.notifications(carol)
	if len(ns) != 2 || ns[0].Notification.Type != model.NotifyUpdate {
		t.Errorf("carol's notifications %+v", ns)
	}
	// History of an unedited status is its one version.
	plain := w.post(alice, "plain", model.VisibilityPublic)
	if hist, _, err := w.s.StatusHistory(w.ctx, 0, plain.ID); err != nil || len(hist) != 1 {
		t.Errorf("unedited history %d %v", len(hist), err)
	}
}

func TestDeleteStatus(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	st := w.post(alice, "to delete", model.VisibilityPublic)
	_, err := w.s.DeleteStatus(w.ctx, bob.ID, st.ID)
	wantErr(t, err, model.ErrNotFound, "")
	v, err := w.s.DeleteStatus(w.ctx, alice.ID, st.ID)
	if err != nil || !v.Source || v.Status.Text != "to delete" {
		t.Fatalf("delete: %v %+v", err, v)
	}
	_, err = w.s.Status(w.ctx, alice.ID, st.ID)
	wantErr(t, err, model.ErrNotFound, "")
}

func TestContextFiltersThread(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob, carol, dave := w.user("alice"), w.user("bob"), w.user("carol"), w.user("dave")
	root := w.post(alice, "root", model.VisibilityPublic)
	mid := w.reply(bob, root, "mid", model.VisibilityPublic)
	secret := w.reply(carol, mid, "followers only", model.VisibilityPrivate)
	muted := w.reply(dave, mid, "from a muted account", model.VisibilityPublic)
	w.mute(alice, dave, false)

	c, err := w.s.Context(w.ctx, alice.ID, mid.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Ancestors) != 1 || c.Ancestors[0].Status.ID != root.ID {
		t.Errorf("ancestors %+v", c.Ancestors)
	}
	for _, d := range c.Descendants {
		if d.Status.ID == secret.ID || d.Status.ID == muted.ID {
			t.Errorf("descendant %d should be hidden from alice", d.Status.ID)
		}
	}
	w.follow(alice, carol, false)
	c, err = w.s.Context(w.ctx, alice.ID, mid.ID)
	if err != nil || len(c.Descendants) != 1 || c.Descendants[0].Status.ID != secret.ID {
		t.Errorf("follower sees the private reply: %v %+v", err, c)
	}
	c, err = w.s.Context(w.ctx, 0, mid.ID)
	if err != nil || len(c.Descendants) != 1 || c.Descendants[0].Status.ID != muted.ID {
		t.Errorf("signed out sees only public replies: %v %+v", err, c)
	}
	_, err = w.s.Context(w.ctx, 0, secret.ID)
	wantErr(t, err, model.ErrNotFound, "")
}
