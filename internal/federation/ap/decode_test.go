package ap

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

func readIncoming(t *testing.T, name string) *Object {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "incoming", name))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return o
}

// assertRoundTrip checks decode → encode → decode gives the same value.
func assertRoundTrip(t *testing.T, o *Object) {
	t.Helper()
	out, err := Marshal(o)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	again, err := Decode(out)
	if err != nil {
		t.Fatalf("Decode(Marshal(o)): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(o, again) {
		t.Errorf("round trip changed the value\nfirst:  %#v\nsecond: %#v\njson: %s", o, again, out)
	}
}

func TestIncomingGoldenRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "incoming", "*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("want the incoming golden files, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			assertRoundTrip(t, readIncoming(t, filepath.Base(f)))
		})
	}
}

func TestMastodonCreateNote(t *testing.T) {
	a := readIncoming(t, "mastodon-create-note.json")
	if a.Type != TypeCreate || a.ActorIRI() != "https://mastodon.example/users/alice" {
		t.Fatalf("activity = %s by %s", a.Type, a.ActorIRI())
	}
	n := a.Embedded()
	if n == nil || n.Type != TypeNote || !n.IsPost() {
		t.Fatalf("embedded = %#v", n)
	}
	if got := VisibilityOf(n, "https://mastodon.example/users/alice/followers"); got != model.VisibilityPublic {
		t.Errorf("visibility = %s", got)
	}
	var kinds []string
	for _, tg := range n.Tag {
		kinds = append(kinds, tg.Type)
	}
	if !slices.Equal(kinds, []string{TypeMention, TypeHashtag, TypeEmoji}) {
		t.Errorf("tag types = %v", kinds)
	}
	emoji := n.Tag[2]
	if emoji.Name != ":blobwave:" || emoji.Icon == nil || !strings.HasSuffix(emoji.Icon.URL, "blobwave.png") {
		t.Errorf("emoji = %#v", emoji)
	}
	if !slices.Equal(n.Mentions(), []string{"https://roost.example/users/bob"}) {
		t.Errorf("mentions = %v", n.Mentions())
	}
	if n.Language() != "en" || n.HTMLURL() != "https://mastodon.example/@alice/113500000000000001" {
		t.Errorf("language %q url %q", n.Language(), n.HTMLURL())
	}
	att := n.Attachment[0]
	if att.Type != TypeDocument || att.Width != 1200 || !slices.Equal(att.FocalPoint, []float64{0, 0.25}) || att.Name == "" {
		t.Errorf("attachment = %#v", att)
	}
	if n.Replies.IRI == "" || n.Replies.Object == nil || n.Replies.Object.First.Object == nil {
		t.Errorf("replies = %#v", n.Replies)
	}
	if want := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC); !n.Published.Equal(want) {
		t.Errorf("published = %v", n.Published)
	}
}

func TestMastodonPerson(t *testing.T) {
	p := readIncoming(t, "mastodon-person.json")
	if !p.IsActor() || p.PreferredUsername != "alice" || p.SharedInbox != "https://mastodon.example/inbox" {
		t.Fatalf("actor = %#v", p)
	}
	if !p.Discoverable || !p.Indexable || p.ManuallyApprovesFollowers {
		t.Errorf("flags: discoverable %v indexable %v locked %v", p.Discoverable, p.Indexable, p.ManuallyApprovesFollowers)
	}
	k, ok := p.MainKey("https://mastodon.example/users/alice#main-key")
	if !ok || k.Owner != p.ID {
		t.Fatalf("main key = %#v, %v", k, ok)
	}
	if pub, err := k.RSA(); err != nil || pub.N.BitLen() != 2048 {
		t.Errorf("RSA key: %v", err)
	}
	if len(p.Attachment) != 2 || p.Attachment[1].Type != TypePropertyValue || p.Attachment[1].Value != "she/her" {
		t.Errorf("fields = %#v", p.Attachment)
	}
	if !slices.Equal(p.AlsoKnownAs, []string{"https://old.example/users/alice"}) || p.Featured == "" || p.FeaturedTags == "" {
		t.Errorf("alsoKnownAs %v featured %q tags %q", p.AlsoKnownAs, p.Featured, p.FeaturedTags)
	}
	if p.Icon == nil || p.Image == nil || p.Icon.MediaType != "image/jpeg" {
		t.Errorf("icon %#v image %#v", p.Icon, p.Image)
	}
}

func TestMastodonActivities(t *testing.T) {
	tests := []struct {
		file, typ, actor, object string
		check                    func(t *testing.T, o *Object)
	}{
		{"mastodon-follow.json", TypeFollow, "https://mastodon.example/users/alice", "https://roost.example/users/bob", nil},
		{"mastodon-accept.json", TypeAccept, "https://mastodon.example/users/alice", "https://roost.example/activities/follow/01JPA8X4",
			func(t *testing.T, o *Object) {
				if f := o.Embedded(); f == nil || f.Type != TypeFollow || f.ActorIRI() != "https://roost.example/users/bob" {
					t.Errorf("embedded follow = %#v", f)
				}
			}},
		{"mastodon-undo-follow.json", TypeUndo, "https://mastodon.example/users/alice", "https://mastodon.example/8f0b6a52-3c1e-4d7a-9b1e-2f6c1d0a7e55", nil},
		{"mastodon-like.json", TypeLike, "https://mastodon.example/users/alice", "https://roost.example/users/bob/statuses/01JPA9Q7", nil},
		{"mastodon-announce.json", TypeAnnounce, "https://mastodon.example/users/alice", "https://roost.example/users/bob/statuses/01JPA9Q7",
			func(t *testing.T, o *Object) {
				if VisibilityOf(o, "https://mastodon.example/users/alice/followers") != model.VisibilityPublic {
					t.Error("boost is not public")
				}
			}},
		{"mastodon-delete-note.json", TypeDelete, "https://mastodon.example/users/alice", "https://mastodon.example/users/alice/statuses/113500000000000001",
			func(t *testing.T, o *Object) {
				if ts := o.Embedded(); ts == nil || ts.Type != TypeTombstone {
					t.Errorf("tombstone = %#v", ts)
				}
			}},
		{"mastodon-delete-actor.json", TypeDelete, "https://mastodon.example/users/carol", "https://mastodon.example/users/carol", nil},
		{"mastodon-update-person.json", TypeUpdate, "https://mastodon.example/users/alice", "https://mastodon.example/users/alice",
			func(t *testing.T, o *Object) {
				if p := o.Embedded(); p == nil || !p.IsActor() || p.Name != "Alice (moving soon)" || len(p.PublicKey) != 1 {
					t.Errorf("updated actor = %#v", p)
				}
			}},
		{"mastodon-block.json", TypeBlock, "https://mastodon.example/users/alice", "https://roost.example/users/mallory", nil},
		{"mastodon-flag.json", TypeFlag, "https://mastodon.example/actor", "https://roost.example/users/mallory",
			func(t *testing.T, o *Object) {
				if len(o.Object) != 3 || o.Content != "Spam links in replies" {
					t.Errorf("flag objects %d content %q", len(o.Object), o.Content)
				}
			}},
		{"mastodon-move.json", TypeMove, "https://mastodon.example/users/alice", "https://mastodon.example/users/alice",
			func(t *testing.T, o *Object) {
				if o.Target.IRI != "https://new.example/users/alice" {
					t.Errorf("target = %#v", o.Target)
				}
			}},
		{"mastodon-add-featured.json", TypeAdd, "https://mastodon.example/users/alice", "https://mastodon.example/users/alice/statuses/113500000000000001",
			func(t *testing.T, o *Object) {
				if o.ID != "" || o.Target.IRI != "https://mastodon.example/users/alice/collections/featured" {
					t.Errorf("id %q target %#v", o.ID, o.Target)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o := readIncoming(t, tt.file)
			if o.Type != tt.typ || o.ActorIRI() != tt.actor || o.ObjectIRI() != tt.object {
				t.Errorf("got %s by %s of %s", o.Type, o.ActorIRI(), o.ObjectIRI())
			}
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
}

func TestOtherServers(t *testing.T) {
	q := readIncoming(t, "mastodon-question.json").Embedded()
	if q.Type != TypeQuestion || len(q.OneOf) != 2 || q.OneOf[0].Name != "Starling" || *q.OneOf[0].Replies.Object.TotalItems != 2 || q.VotersCount != 3 || q.EndTime.IsZero() {
		t.Errorf("question = %#v", q)
	}

	g := readIncoming(t, "gotosocial-note-interaction-policy.json")
	if g.InteractionPolicy == nil {
		t.Fatal("no interaction policy")
	}
	reply := g.InteractionPolicy.CanReply
	if !slices.Equal(reply.ManualApproval, []string{PublicIRI}) || len(reply.AutomaticApproval) != 2 {
		t.Errorf("canReply = %#v", reply)
	}
	if len(g.Tag) != 1 || g.Tag[0].Type != TypeHashtag || VisibilityOf(g, "https://gts.example/users/dana/followers") != model.VisibilityPublic {
		t.Errorf("tag %#v", g.Tag)
	}

	m := readIncoming(t, "misskey-create-note-quote.json").Embedded()
	if m.Quote != "https://mastodon.example/users/alice/statuses/113500000000000001" || m.Source == nil || m.Source.MediaType != "text/x.misskeymarkdown" {
		t.Errorf("misskey note quote %q source %#v", m.Quote, m.Source)
	}
	if VisibilityOf(m, "https://misskey.example/users/9zq3k7w2m1/followers") != model.VisibilityUnlisted {
		t.Errorf("misskey home post should be unlisted")
	}

	mp := readIncoming(t, "misskey-person.json")
	if !mp.ManuallyApprovesFollowers || mp.Image != nil || mp.Icon == nil || mp.SharedInbox != "https://misskey.example/inbox" || len(mp.Tag) != 1 {
		t.Errorf("misskey person = %#v", mp)
	}

	ak := readIncoming(t, "akkoma-create-note-emoji-quote.json").Embedded()
	if ak.Quote == "" || len(ak.Tag) != 2 || ak.Tag[1].Name != ":blobfox:" || ak.Sensitive || ak.Context == "" {
		t.Errorf("akkoma note = %#v", ak)
	}
	if ak.Published.Nanosecond() != 345678000 {
		t.Errorf("microseconds lost: %v", ak.Published)
	}

	pl := readIncoming(t, "pleroma-create-note-direct.json").Embedded()
	if VisibilityOf(pl, "https://pleroma.example/users/frank/followers") != model.VisibilityDirect {
		t.Error("pleroma DM should be direct")
	}
	if len(pl.Attachment) != 1 || pl.Attachment[0].URL != "https://pleroma.example/media/4f3e2d1c.jpg" {
		t.Errorf("pleroma attachment = %#v", pl.Attachment)
	}

	art := readIncoming(t, "writefreely-article.json")
	if art.Type != TypeArticle || !art.IsPost() || art.Name != "Notes on roosting" || art.Updated.IsZero() {
		t.Errorf("article = %#v", art)
	}
	page := readIncoming(t, "lemmy-page.json")
	if page.Type != TypePage || !slices.Equal(page.Audience, []string{"https://lemmy.example/c/birds"}) || page.Attachment[0].URL != "https://birds.example/roosts" {
		t.Errorf("page = %#v", page)
	}
	v := readIncoming(t, "peertube-video.json")
	if len(v.AttributedTo) != 2 || v.AttributedTo[1].Object.Type != TypeGroup || v.HTMLURL() != "https://tube.example/w/6Zx8aQ2" || v.Icon == nil {
		t.Errorf("video = %#v", v)
	}
	page2 := readIncoming(t, "mastodon-outbox-page.json")
	if len(page2.Items) != 2 || page2.Items[1].Object == nil || page2.Items[1].Object.Embedded() == nil {
		t.Errorf("outbox page items = %#v", page2.Items)
	}
	fl := readIncoming(t, "mastodon-followers.json")
	if fl.TotalItems == nil || *fl.TotalItems != 42 || fl.First.IRI == "" {
		t.Errorf("followers = %#v", fl)
	}
}

func TestDecodeLenientShapes(t *testing.T) {
	doc := `{
		"type": ["Unknown", "Note"],
		"id": "https://a.example/n/1",
		"to": "as:Public",
		"cc": ["Public", {"id": "https://a.example/u/x/followers"}, 7, null],
		"attributedTo": {"type": "Person", "id": "https://a.example/u/x"},
		"url": {"type": "Link", "href": "https://a.example/@x/1", "mediaType": "text/html"},
		"tag": {"type": "Mention", "href": "https://b.example/u/y", "name": "@y@b.example"},
		"sensitive": "yes",
		"published": "not a date",
		"updated": "2025-01-02T03:04:05+09:00",
		"content": 42,
		"summary": null,
		"contentMap": {"de": "<p>hallo</p>", "xx": 5},
		"icon": "https://a.example/icon.png",
		"inReplyTo": {"id": "https://c.example/n/0", "type": "Note"},
		"unknownField": {"deeply": [1, 2, {"x": true}]}
	}`
	o, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if o.Type != TypeNote || !slices.Equal(o.Types, []string{"Unknown", "Note"}) {
		t.Errorf("type %q types %v", o.Type, o.Types)
	}
	if !slices.Equal(o.To, []string{PublicIRI}) || !slices.Equal(o.CC, []string{PublicIRI, "https://a.example/u/x/followers"}) {
		t.Errorf("to %v cc %v", o.To, o.CC)
	}
	if o.AttributedToIRI() != "https://a.example/u/x" || o.HTMLURL() != "https://a.example/@x/1" {
		t.Errorf("attributedTo %q url %q", o.AttributedToIRI(), o.HTMLURL())
	}
	if len(o.Tag) != 1 || o.Tag[0].Type != TypeMention {
		t.Errorf("tag = %#v", o.Tag)
	}
	if o.Sensitive || !o.Published.IsZero() || o.Content != "" {
		t.Errorf("wrong-typed fields should be ignored: %v %v %q", o.Sensitive, o.Published, o.Content)
	}
	if want := time.Date(2025, 1, 1, 18, 4, 5, 0, time.UTC); !o.Updated.Equal(want) || o.Updated.Location() != time.UTC {
		t.Errorf("updated = %v", o.Updated)
	}
	if len(o.ContentMap) != 1 || o.Language() != "de" {
		t.Errorf("contentMap = %v", o.ContentMap)
	}
	if o.Icon == nil || o.Icon.URL != "https://a.example/icon.png" || o.InReplyTo != "https://c.example/n/0" {
		t.Errorf("icon %#v inReplyTo %q", o.Icon, o.InReplyTo)
	}
	assertRoundTrip(t, o)
}

func TestDecodePublicKeyShapes(t *testing.T) {
	doc := `{"type":"Service","id":"https://a.example/actor",
		"publicKey":[{"id":"https://a.example/actor#k1","owner":"https://a.example/actor","publicKeyPem":"x"},
		             {"id":"https://a.example/actor#k2","owner":{"id":"https://a.example/actor"},"publicKeyPem":"y"}],
		"assertionMethod":{"id":"https://a.example/actor#ed","type":"Multikey","controller":"https://a.example/actor","publicKeyMultibase":"z6Mk"}}`
	o, err := DecodeActor([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := o.MainKey("https://a.example/actor#k2"); !ok || k.PEM != "y" || k.Owner != o.ID {
		t.Errorf("key 2 = %#v %v", k, ok)
	}
	if _, ok := o.MainKey("https://a.example/actor#k3"); ok {
		t.Error("found a key that is not there")
	}
	if len(o.AssertionMethod) != 1 || o.AssertionMethod[0].Controller != o.ID {
		t.Errorf("assertionMethod = %#v", o.AssertionMethod)
	}
	assertRoundTrip(t, o)
}

func TestDecodeErrors(t *testing.T) {
	small := Limits{MaxBytes: 4096, MaxDepth: 4, MaxArray: 3, MaxMembers: 5, MaxString: 16}
	tests := []struct {
		name string
		lim  Limits
		doc  string
		want error
	}{
		{"empty", DefaultLimits, ``, ErrMalformed},
		{"not json", DefaultLimits, `<html>`, ErrMalformed},
		{"truncated", DefaultLimits, `{"type":"Note"`, ErrMalformed},
		{"array top", DefaultLimits, `[{"type":"Note"}]`, ErrMalformed},
		{"string top", DefaultLimits, `"Note"`, ErrMalformed},
		{"trailing data", DefaultLimits, `{"type":"Note"} {}`, ErrMalformed},
		{"trailing garbage", DefaultLimits, `{"type":"Note"}x`, ErrMalformed},
		{"duplicate key", DefaultLimits, `{"type":"Note","type":"Create"}`, ErrMalformed},
		{"nested duplicate", DefaultLimits, `{"type":"Create","object":{"id":"a","id":"b"}}`, ErrMalformed},
		{"bad escape", DefaultLimits, `{"type":"N\ote"}`, ErrMalformed},
		{"missing type", DefaultLimits, `{"id":"https://a.example/x"}`, ErrUnsupportedType},
		{"unknown type", DefaultLimits, `{"type":"EmojiReact","id":"x"}`, ErrUnsupportedType},
		{"type number", DefaultLimits, `{"type":5}`, ErrUnsupportedType},
		{"size", Limits{MaxBytes: 10, MaxDepth: 4, MaxArray: 3, MaxMembers: 5, MaxString: 16}, `{"type":"Note"}`, ErrTooLarge},
		{"depth", small, `{"type":"Note","a":{"b":{"c":{"d":{"e":1}}}}}`, ErrTooLarge},
		{"depth in arrays", small, `{"type":"Note","a":[[[[1]]]]}`, ErrTooLarge},
		{"array", small, `{"type":"Note","tag":[1,2,3,4]}`, ErrTooLarge},
		{"members", small, `{"type":"Note","a":1,"b":2,"c":3,"d":4,"e":5}`, ErrTooLarge},
		{"string", small, `{"type":"Note","content":"01234567890123456"}`, ErrTooLarge},
		{"key", small, `{"type":"Note","01234567890123456":1}`, ErrTooLarge},
		{"number", small, `{"type":"Note","n":12345678901234567}`, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := tt.lim.Decode([]byte(tt.doc))
			if !errors.Is(err, tt.want) || o != nil {
				t.Fatalf("Decode = %v, %v; want %v", o, err, tt.want)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("%v does not wrap model.ErrInvalid", err)
			}
		})
	}
}

func TestUnsupportedTypeErrorNamesType(t *testing.T) {
	_, err := Decode([]byte(`{"type":"EmojiReact"}`))
	var ute *UnsupportedTypeError
	if !errors.As(err, &ute) || ute.Type != "EmojiReact" {
		t.Fatalf("err = %v", err)
	}
	if _, err := DecodeActor([]byte(`{"type":"Note"}`)); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("DecodeActor(Note) = %v", err)
	}
}

func TestDecodeLimitsAtBoundary(t *testing.T) {
	lim := Limits{MaxBytes: 4096, MaxDepth: 3, MaxArray: 3, MaxMembers: 4, MaxString: 16}
	doc := `{"type":"Note","tag":[{"type":"Hashtag"},{},{}],"content":"0123456789abcdef","x":[[1]]}`
	if _, err := lim.Decode([]byte(doc)); err != nil {
		t.Fatalf("a document exactly at every limit was refused: %v", err)
	}
}
