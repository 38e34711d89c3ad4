package core

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// TestRemoteStatusOrder: a remote post's ID follows its publication, so an
// old post fetched late sorts among its peers, not as new; a post claiming
// to come from before 2000 or from the future gets its arrival's ID.
func TestRemoteStatusOrder(t *testing.T) {
	e := newInboxEnv(t)
	cases := []struct {
		id, published string
		fresh         bool // an ID from the arrival, not from published
	}{
		{"https://remote.example/notes/old", "2025-01-02T03:04:05Z", false},
		{"https://remote.example/notes/ancient", "1970-01-01T00:00:01Z", true},
		{"https://remote.example/notes/future", time.Now().Add(time.Hour).UTC().Format(time.RFC3339), true},
	}
	for _, c := range cases {
		before := model.NewID(time.Now())
		e.mustRecv(e.bob, `{"type":"Create","id":"`+c.id+`/activity","actor":"`+bobURI+`","to":[`+apPublic+`],
			"object":{"type":"Note","id":"`+c.id+`","attributedTo":"`+bobURI+`","to":[`+apPublic+`],
			"content":"<p>x</p>","published":"`+c.published+`"}}`)
		st, err := e.s.store.StatusByURI(e.ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if fresh := st.ID > before; fresh != c.fresh {
			t.Errorf("%s: ID %d fresh %v, want %v", c.id, st.ID, fresh, c.fresh)
		}
		if !c.fresh {
			p, _ := time.Parse(time.RFC3339, c.published)
			if ms := st.ID >> 16; ms < p.UnixMilli() || ms >= p.Add(time.Second).UnixMilli() {
				t.Errorf("%s: ID at %d ms, want within the second of %v", c.id, ms, p)
			}
			if st.ConversationID != st.ID {
				t.Errorf("%s: conversation %d, want its own ID", c.id, st.ConversationID)
			}
		}
	}
}

// TestRemoteStatusIDCollision: when the drawn ID is taken by another
// status, the remote one is stored under a fresh ID all the same.
func TestRemoteStatusIDCollision(t *testing.T) {
	e := newInboxEnv(t)
	mine, _ := e.post(e.alice, model.VisibilityPublic)
	now := time.Now()
	st := &model.Status{ID: mine.ID, ConversationID: mine.ID, AccountID: e.bob.ID, URI: "https://remote.example/notes/clash",
		Visibility: model.VisibilityPublic, Content: "<p>clash</p>", CreatedAt: now.Add(-time.Hour)}
	if err := e.s.createRemoteStatus(e.ctx, st, now); err != nil {
		t.Fatalf("store after a clash: %v", err)
	}
	got, err := e.s.store.StatusByURI(e.ctx, st.URI)
	if err != nil || got.ID == mine.ID || got.ConversationID != got.ID {
		t.Fatalf("stored %+v, %v", got, err)
	}
	// A repeat of the same URI is the caller's conflict, not a new copy.
	again := *st
	again.ID = model.NewID(now)
	if err := e.s.createRemoteStatus(e.ctx, &again, now); err == nil {
		t.Error("the same URI stored twice")
	}
}
