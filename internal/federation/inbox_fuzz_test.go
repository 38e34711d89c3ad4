package federation

import (
	"context"
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// FuzzInbox feeds untrusted bodies through what the inbox does after the
// signature check: decode, then core.ReceiveActivity for a known remote
// signer, as sent and with the actor forced to the signer (so that every
// body reaches the handlers). Nothing may panic, and no body may make core
// fail with anything but a client error: a server error would answer a
// sender's bad input with 500.
func FuzzInbox(f *testing.F) {
	const bob = "https://remote.example/users/bob"
	const alice = "https://roost.test/users/alice"
	for _, s := range []string{
		followBody("https://remote.example/follows/1", bob),
		`{"type":"Undo","id":"https://remote.example/u/1","actor":"` + bob + `","object":` + followBody("https://remote.example/follows/1", bob) + `}`,
		`{"type":"Create","id":"https://remote.example/n/1/a","actor":"` + bob + `","object":{"type":"Note","id":"https://remote.example/n/1","attributedTo":"` + bob + `","to":["` + alice + `"],"content":"<p>hi</p>","inReplyTo":"https://roost.test/users/alice/statuses/1","tag":[{"type":"Mention","href":"` + alice + `"},{"type":"Hashtag","name":"#x"}]}}`,
		`{"type":"Update","id":"https://remote.example/n/1#u","actor":"` + bob + `","object":{"type":"Note","id":"https://remote.example/n/1","attributedTo":"` + bob + `","content":"x"}}`,
		`{"type":"Delete","id":"https://remote.example/d","actor":"` + bob + `","object":{"type":"Tombstone","id":"https://remote.example/n/1"}}`,
		`{"type":"Like","id":"https://remote.example/l","actor":"` + bob + `","object":"https://roost.test/users/alice/statuses/1"}`,
		`{"type":"Announce","id":"https://remote.example/b","actor":"` + bob + `","object":"https://remote.example/n/1","to":["https://www.w3.org/ns/activitystreams#Public"]}`,
		`{"type":"Block","id":"https://remote.example/k","actor":"` + bob + `","object":"` + alice + `"}`,
		`{"type":"Accept","id":"https://remote.example/acc","actor":"` + bob + `","object":{"type":"Follow","actor":"` + alice + `","object":"` + bob + `"}}`,
		`{"type":"Delete","id":"https://remote.example/x","actor":"` + bob + `","object":"` + bob + `"}`,
		`{"type":["Create","Flag"],"actor":[],"object":[null,1,{}]}`,
	} {
		f.Add([]byte(s))
	}
	e := newInboxEnv(f)
	ctx := context.Background()
	signer, err := e.svc.ResolveActor(ctx, e.bob.id)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		act, err := ap.Decode(body)
		if err != nil {
			return
		}
		check := func(err error) {
			if err != nil && !errors.Is(err, model.ErrInvalid) && !errors.Is(err, model.ErrForbidden) &&
				!errors.Is(err, model.ErrUnauthorized) && !errors.Is(err, model.ErrNotFound) {
				t.Errorf("%s: server error on client input: %v", body, err)
			}
		}
		check(e.svc.ReceiveActivity(ctx, signer.ID, act))
		act.Actor = []ap.Ref{{IRI: e.bob.id}}
		check(e.svc.ReceiveActivity(ctx, signer.ID, act))
	})
}
