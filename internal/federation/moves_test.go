package federation

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// TestMoveDocuments: after alice (followed by bob on remote.example) moves
// to eve, who lists her as an alias, the actor documents carry
// alsoKnownAs and movedTo, the Move goes to bob's inbox, and it is
// rebuilt as Move {actor: alice, object: alice, target: eve}.
func TestMoveDocuments(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	e.want(t, e.post(t, "/users/alice/inbox", e.bob, followBody("https://remote.example/follows/1", e.bob.id),
		httpsig.ModeCavage), 202, "bob follows alice")
	eve := e.user(t, "eve")
	const aliceID, eveID = "https://roost.test/users/alice", "https://roost.test/users/eve"
	if _, err := e.svc.SetAliases(ctx, &core.Auth{Account: eve}, []string{"alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.MoveAccount(ctx, &core.Auth{Account: e.alice}, "password-alice", eveID); err != nil {
		t.Fatal(err)
	}
	actor := func(name string) *ap.Object {
		t.Helper()
		w := e.getAP(t, "/users/"+name, 200)
		o, err := ap.DecodeActor(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if a := actor("alice"); a.MovedTo != eveID || len(a.AlsoKnownAs) != 0 {
		t.Errorf("alice: movedTo %q, alsoKnownAs %v", a.MovedTo, a.AlsoKnownAs)
	}
	if v := actor("eve"); v.MovedTo != "" || !slices.Equal(v.AlsoKnownAs, []string{aliceID}) {
		t.Errorf("eve: movedTo %q, alsoKnownAs %v", v.MovedTo, v.AlsoKnownAs)
	}

	args := DeliverArgs{FanoutArgs: FanoutArgs{Event: core.EventMoved, ActorID: e.alice.ID, TargetID: eve.ID, Nonce: 7}}
	boxes, err := NewPublisher(e.svc, nil).recipients(ctx, args.FanoutArgs)
	if err != nil || len(boxes) != 1 || hostOf(boxes[0]) != "remote.example" {
		t.Fatalf("recipients %v, %v", boxes, err)
	}
	acct, err := e.svc.DeliveryAccount(ctx, e.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	mv, err := d.activity(ctx, acct, args)
	if err != nil {
		t.Fatal(err)
	}
	if mv.Type != ap.TypeMove || mv.ActorIRI() != aliceID || mv.ObjectIRI() != aliceID || mv.Target.IRI != eveID {
		t.Errorf("move: %+v", mv)
	}
	// A job for an older target delivers nothing.
	args.TargetID = e.alice.ID
	if _, err := d.activity(ctx, acct, args); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("superseded move: %v", err)
	}
}
