package ap

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/outgoing")

// A fixed test key, so the golden files are stable.
const testRSAPublicPEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1brpimzTiT7rLLDZuU9m\nWlOc2alAEVcJ+VRnC9oj/WINpMCBqX/l8EhE4c0MB/DeprP1+gtlgQUjKtBz1Xdn\nBe2eHWnk37luXmA6FaV634Am5+snfhLU2BbYKWIkRJiEF96iv5+2tYJuZzhsq+Jg\nm2+w6dBq5yh1vFjTBzDX0dKo05eM3TpPdRhl6Incrm7Q1kRU12FI8nzJhVAEYys3\nMjB5xvaj5PT98G5MTKXfHfbkEHWkak/TuamQbAJkWxezMVl57TvJJbXJCkuZh+ss\nffPe1wuNT3RRW1EBNxBBE7U1hSP64cucicoGvLZqHcanXDGZB6PzLG2YK6MjqnxN\nbwIDAQAB\n-----END PUBLIC KEY-----\n"

const (
	alice     = "https://roost.example/users/alice"
	aliceFol  = alice + "/followers"
	bobRemote = "https://mastodon.example/users/bob"
)

var (
	t0 = time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
	t1 = time.Date(2025, 4, 1, 12, 30, 15, 500_000_000, time.FixedZone("CEST", 2*3600))
)

func testKeys(t *testing.T) (PublicKey, Multikey) {
	t.Helper()
	pub, err := (PublicKey{PEM: testRSAPublicPEM}).RSA()
	if err != nil {
		t.Fatal(err)
	}
	pk, err := NewPublicKey(alice+"#main-key", alice, pub)
	if err != nil {
		t.Fatal(err)
	}
	if pk.PEM != testRSAPublicPEM {
		t.Fatalf("PEM did not survive parse and re-encode:\n%s", pk.PEM)
	}
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	edPub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	return pk, NewMultikey(alice+"#ed25519-key", alice, edPub)
}

func testPerson(t *testing.T) *Object {
	pk, mk := testKeys(t)
	return NewPerson(ActorParams{
		ID: alice, Username: "alice", Name: "Alice :roost:", Summary: "<p>Hello from Roost.</p>",
		URL: "https://roost.example/@alice", Inbox: alice + "/inbox", Outbox: alice + "/outbox",
		Followers: aliceFol, Following: alice + "/following", Featured: alice + "/collections/featured",
		FeaturedTags: alice + "/collections/tags", SharedInbox: "https://roost.example/inbox",
		Published: t0, Locked: true, Discoverable: true, Indexable: false,
		Icon:   &Image{Type: TypeImage, MediaType: "image/png", URL: "https://roost.example/media/avatar.png"},
		Header: &Image{Type: TypeImage, MediaType: "image/jpeg", URL: "https://roost.example/media/header.jpg"},
		Fields: []ProfileField{{Name: "Pronouns", Value: "she/her"}},
		Emojis: []Tag{{Type: TypeEmoji, ID: "https://roost.example/emojis/roost", Name: ":roost:", Updated: t0,
			Icon: &Image{Type: TypeImage, MediaType: "image/png", URL: "https://roost.example/emojis/roost.png"}}},
		AlsoKnownAs: []string{"https://old.example/users/alice"},
		PublicKey:   pk, AssertionMethods: []Multikey{mk},
	})
}

func testNote(vis model.Visibility) *Object {
	return NewNote(NoteParams{
		ID: alice + "/statuses/1", URL: "https://roost.example/@alice/1", AttributedTo: alice,
		Content:  `<p>Hi <span class="h-card"><a href="https://mastodon.example/@bob" class="u-url mention">@<span>bob</span></a></span> <a href="https://roost.example/tags/roost" class="mention hashtag" rel="tag">#<span>roost</span></a></p>`,
		Language: "en", Published: t0, Visibility: vis, Followers: aliceFol,
		Tags: []Tag{
			{Type: TypeMention, Href: bobRemote, Name: "@bob@mastodon.example"},
			{Type: TypeHashtag, Href: "https://roost.example/tags/roost", Name: "#roost"},
		},
		Replies: alice + "/statuses/1/replies", Conversation: "https://roost.example/contexts/1",
	})
}

func outgoing(t *testing.T) map[string]*Object {
	person := testPerson(t)
	svc := NewService(ActorParams{ID: "https://roost.example/actor", Username: "roost.example",
		Inbox: "https://roost.example/actor/inbox", Outbox: "https://roost.example/actor/outbox",
		SharedInbox: "https://roost.example/inbox", URL: "https://roost.example/about", Locked: true,
		PublicKey: PublicKey{ID: "https://roost.example/actor#main-key", Owner: "https://roost.example/actor", PEM: testRSAPublicPEM}})
	public := testNote(model.VisibilityPublic)
	cw := testNote(model.VisibilityUnlisted)
	cw.Summary, cw.Sensitive = "birds", true
	edited := testNote(model.VisibilityPublic)
	edited.Updated = t1.UTC()
	follow := NewFollow("https://roost.example/follows/9", alice, bobRemote)
	incoming := &Object{ID: "https://mastodon.example/f/1", Type: TypeFollow,
		Actor: []Ref{{IRI: bobRemote}}, Object: []Ref{{IRI: alice}}, To: []string{alice}}
	announce := NewAnnounce(alice+"/statuses/2/activity", alice, bobRemote+"/statuses/5", bobRemote, aliceFol, model.VisibilityPublic, t1)
	return map[string]*Object{
		"person":                  person,
		"service":                 svc,
		"create-note-public":      NewCreate(alice+"/statuses/1/activity", public),
		"create-note-unlisted-cw": NewCreate(alice+"/statuses/1/activity", cw),
		"create-note-private":     NewCreate(alice+"/statuses/1/activity", testNote(model.VisibilityPrivate)),
		"create-note-direct":      NewCreate(alice+"/statuses/1/activity", testNote(model.VisibilityDirect)),
		"update-note":             NewUpdate(alice+"/statuses/1#updates/1", edited, t1),
		"update-person":           NewUpdate(alice+"#updates/1", person, t1),
		"delete-note":             NewDelete(alice+"/statuses/1#delete", alice, NewTombstone(alice+"/statuses/1", TypeNote, t1), public.To, public.CC),
		"delete-actor":            NewDeleteActor(alice+"#delete", alice),
		"follow":                  follow,
		"accept":                  NewAccept(alice+"#accepts/1", alice, incoming),
		"reject":                  NewReject(alice+"#rejects/1", alice, incoming),
		"undo-follow":             NewUndo("https://roost.example/follows/9/undo", alice, follow),
		"undo-announce":           NewUndo(alice+"/statuses/2/activity#undo", alice, announce),
		"like":                    NewLike(alice+"#likes/3", alice, bobRemote+"/statuses/5"),
		"announce":                announce,
		"block":                   NewBlock("https://roost.example/blocks/4", alice, bobRemote),
		"flag":                    NewFlag("https://roost.example/reports/5", "https://roost.example/actor", "spam", []string{bobRemote, bobRemote + "/statuses/6"}),
		"move":                    NewMove(alice+"#moves/1", alice, "https://new.example/users/alice"),
		"add-featured":            NewAdd(alice+"#pins/1", alice, alice+"/statuses/1", alice+"/collections/featured"),
		"remove-featured":         NewRemove(alice+"#unpins/1", alice, alice+"/statuses/1", alice+"/collections/featured"),
		"followers":               NewOrderedCollection(aliceFol, 2, aliceFol+"?page=1"),
		"followers-page":          NewOrderedCollectionPage(aliceFol+"?page=1", aliceFol, "", "", []Ref{{IRI: bobRemote}, {IRI: "https://gts.example/users/dana"}}),
		"outbox-page-empty":       NewOrderedCollectionPage(alice+"/outbox?page=1", alice+"/outbox", "", "", nil),
	}
}

func TestOutgoingGolden(t *testing.T) {
	for name, o := range outgoing(t) {
		t.Run(name, func(t *testing.T) {
			got, err := MarshalIndent(o)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "outgoing", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (run go test -update after checking):\n%s", name, got)
			}
			// What we send, we read back as the same value.
			back, err := Decode(got)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(back, o) {
				t.Errorf("decoding our own output changed it\nbuilt:   %#v\ndecoded: %#v", o, back)
			}
		})
	}
}

func TestMarshalIsStable(t *testing.T) {
	o := outgoing(t)["person"]
	first, _ := Marshal(o)
	for range 20 {
		if again, _ := Marshal(o); !bytes.Equal(first, again) {
			t.Fatal("Marshal output varies between calls")
		}
	}
	if bytes.Contains(first, []byte(`\u003c`)) {
		t.Error("HTML in content was escaped as \u003c")
	}
}

func TestPersonContext(t *testing.T) {
	b, err := Marshal(testPerson(t))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, term := range []string{ContextActivityStreams, ContextSecurity, ContextMultikey,
		`"manuallyApprovesFollowers":"as:manuallyApprovesFollowers"`, `"discoverable":"toot:discoverable"`,
		`"indexable":"toot:indexable"`, `"featured":{`, `"sensitive":"as:sensitive"`, `"Hashtag":"as:Hashtag"`,
		`"Emoji":"toot:Emoji"`, `"PropertyValue":"schema:PropertyValue"`, `"value":"schema:value"`,
		`"alsoKnownAs":{`, `"movedTo":{`, `"assertionMethod":{`} {
		if !strings.Contains(s, term) {
			t.Errorf("person @context lacks %s", term)
		}
	}
	like, _ := Marshal(NewLike("https://r.example/l/1", alice, bobRemote+"/statuses/5"))
	if !bytes.HasPrefix(like, []byte(`{"@context":"https://www.w3.org/ns/activitystreams",`)) {
		t.Errorf("a Like should carry the plain ActivityStreams context: %s", like)
	}
}

func TestBuiltPersonKeys(t *testing.T) {
	p := testPerson(t)
	k, ok := p.MainKey(alice + "#main-key")
	if !ok {
		t.Fatal("no main key")
	}
	if _, err := k.RSA(); err != nil {
		t.Fatal(err)
	}
	pub, err := p.AssertionMethod[0].Ed25519()
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("multikey: %v", err)
	}
}

func TestNewNoteAddressing(t *testing.T) {
	n := testNote(model.VisibilityDirect)
	if !slices.Equal(n.To, []string{bobRemote}) || len(n.CC) != 0 {
		t.Errorf("direct note to %v cc %v", n.To, n.CC)
	}
	c := NewCreate("x", testNote(model.VisibilityPrivate))
	if !slices.Equal(c.To, []string{aliceFol}) || !slices.Equal(c.CC, []string{bobRemote}) || c.ActorIRI() != alice {
		t.Errorf("private create to %v cc %v actor %s", c.To, c.CC, c.ActorIRI())
	}
	cw := NewNote(NoteParams{ID: "x", Summary: "cw", Visibility: model.VisibilityPublic})
	if !cw.Sensitive {
		t.Error("a content warning should mark the note sensitive, as Mastodon does")
	}
}
