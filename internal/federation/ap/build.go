package ap

import (
	"time"

	"github.com/roost-social/roost/internal/model"
)

// Builders for what Roost sends. Each returns an *Object shaped the way
// Mastodon shapes the same thing, ready for Marshal. URL layout is the
// caller's: builders take every IRI as given.

// ActorParams describes a local actor.
type ActorParams struct {
	ID               string
	Username         string // preferredUsername
	Name             string // display name
	Summary          string // bio, HTML
	URL              string // profile page
	Inbox            string
	Outbox           string
	Followers        string
	Following        string
	Featured         string // pinned posts collection
	FeaturedTags     string
	SharedInbox      string
	Published        time.Time
	Locked           bool // manuallyApprovesFollowers
	Discoverable     bool
	Indexable        bool
	Icon             *Image
	Header           *Image
	Fields           []ProfileField
	Emojis           []Tag // Emoji tags used in name, bio or fields
	AlsoKnownAs      []string
	MovedTo          string
	PublicKey        PublicKey  // RSA, for draft-cavage signatures
	AssertionMethods []Multikey // FEP-521a keys, e.g. Ed25519
}

// ProfileField is one profile metadata pair; Value is HTML.
type ProfileField struct {
	Name  string
	Value string
}

// NewPerson returns a Person actor document.
func NewPerson(p ActorParams) *Object { return newActor(TypePerson, p) }

// NewService returns a Service actor: the instance actor that signs
// server-level fetches, and bot accounts (as Mastodon marks them).
func NewService(p ActorParams) *Object { return newActor(TypeService, p) }

func newActor(typ string, p ActorParams) *Object {
	o := &Object{
		ID: p.ID, Type: typ, PreferredUsername: p.Username, Name: p.Name, Summary: p.Summary,
		Inbox: p.Inbox, Outbox: p.Outbox, Followers: p.Followers, Following: p.Following,
		Featured: p.Featured, FeaturedTags: p.FeaturedTags, SharedInbox: p.SharedInbox,
		Published: utc(p.Published), ManuallyApprovesFollowers: p.Locked,
		Discoverable: p.Discoverable, Indexable: p.Indexable,
		Icon: p.Icon, Image: p.Header, Tag: p.Emojis,
		AlsoKnownAs: p.AlsoKnownAs, MovedTo: p.MovedTo,
		AssertionMethod: p.AssertionMethods,
	}
	if p.URL != "" {
		o.URL = []Link{{Href: p.URL}}
	}
	if p.PublicKey != (PublicKey{}) {
		o.PublicKey = []PublicKey{p.PublicKey}
	}
	for _, f := range p.Fields {
		o.Attachment = append(o.Attachment, Attachment{Type: TypePropertyValue, Name: f.Name, Value: f.Value})
	}
	return o
}

// NoteParams describes a local status.
type NoteParams struct {
	ID           string
	URL          string // web page of the status
	AttributedTo string // author's actor IRI
	Content      string // rendered HTML
	Language     string // BCP 47; sets contentMap when not ""
	Summary      string // content warning
	Sensitive    bool
	InReplyTo    string
	Published    time.Time
	Updated      time.Time // zero unless edited
	Visibility   model.Visibility
	Followers    string // author's followers collection, for addressing
	Tags         []Tag  // Mention, Hashtag and Emoji tags; Mention hrefs are addressed
	Attachments  []Attachment
	Replies      string // replies collection IRI, or ""
	Conversation string // thread IRI, sent as both conversation and context
}

// NewNote returns a Note addressed as Mastodon addresses a status of
// p.Visibility.
func NewNote(p NoteParams) *Object {
	o := &Object{
		ID: p.ID, Type: TypeNote, AttributedTo: []Ref{{IRI: p.AttributedTo}},
		Content: p.Content, Summary: p.Summary, Sensitive: p.Sensitive || p.Summary != "",
		InReplyTo: p.InReplyTo, Published: utc(p.Published), Updated: utc(p.Updated),
		Tag: p.Tags, Attachment: p.Attachments,
		Conversation: p.Conversation, Context: p.Conversation,
	}
	if p.URL != "" {
		o.URL = []Link{{Href: p.URL}}
	}
	if p.Language != "" {
		o.ContentMap = map[string]string{p.Language: p.Content}
	}
	if p.Replies != "" {
		o.Replies = Ref{IRI: p.Replies}
	}
	var mentions []string
	for _, t := range p.Tags {
		if t.Type == TypeMention {
			mentions = append(mentions, t.Href)
		}
	}
	o.To, o.CC = Addressing(p.Visibility, p.Followers, mentions)
	return o
}

// NewCreate wraps a post in a Create by its author, with the post's
// addressing and publication time, as Mastodon does.
func NewCreate(id string, obj *Object) *Object {
	return &Object{
		ID: id, Type: TypeCreate, Actor: []Ref{{IRI: obj.AttributedToIRI()}},
		Published: obj.Published, To: obj.To, CC: obj.CC,
		Object: []Ref{{IRI: obj.ID, Object: obj}},
	}
}

// NewUpdate wraps an edited post or a changed actor in an Update. A post is
// updated by its author with its own addressing; an actor updates itself,
// addressed to the public collection as Mastodon does.
func NewUpdate(id string, obj *Object, at time.Time) *Object {
	u := &Object{ID: id, Type: TypeUpdate, Published: utc(at), Object: []Ref{{IRI: obj.ID, Object: obj}}}
	if obj.IsActor() {
		u.Actor = []Ref{{IRI: obj.ID}}
		u.To = []string{PublicIRI}
		return u
	}
	u.Actor = []Ref{{IRI: obj.AttributedToIRI()}}
	u.To, u.CC = obj.To, obj.CC
	return u
}

// NewTombstone returns what is left of a deleted object.
func NewTombstone(id, formerType string, deleted time.Time) *Object {
	return &Object{ID: id, Type: TypeTombstone, FormerType: formerType, Deleted: utc(deleted)}
}

// NewDelete deletes a post, sending a Tombstone in its place. to and cc
// should be the deleted post's, so the Delete reaches everyone who got it.
func NewDelete(id, actor string, tombstone *Object, to, cc []string) *Object {
	return &Object{
		ID: id, Type: TypeDelete, Actor: []Ref{{IRI: actor}}, To: to, CC: cc,
		Object: []Ref{{IRI: tombstone.ID, Object: tombstone}},
	}
}

// NewDeleteActor announces that an account is gone: the actor deletes
// itself, addressed to the public collection.
func NewDeleteActor(id, actor string) *Object {
	return &Object{ID: id, Type: TypeDelete, Actor: []Ref{{IRI: actor}}, To: []string{PublicIRI},
		Object: []Ref{{IRI: actor}}}
}

// NewFollow asks to follow target.
func NewFollow(id, actor, target string) *Object {
	return simple(id, TypeFollow, actor, target)
}

// NewAccept accepts a follow request, embedding it (id, actor, object) as
// Mastodon does so the requester can match it.
func NewAccept(id, actor string, follow *Object) *Object {
	return respond(id, TypeAccept, actor, follow)
}

// NewReject refuses a follow request, or ends an accepted follow.
func NewReject(id, actor string, follow *Object) *Object {
	return respond(id, TypeReject, actor, follow)
}

func respond(id, typ, actor string, follow *Object) *Object {
	embedded := &Object{ID: follow.ID, Type: TypeFollow,
		Actor: []Ref{{IRI: follow.ActorIRI()}}, Object: []Ref{{IRI: follow.ObjectIRI()}}}
	return &Object{ID: id, Type: typ, Actor: []Ref{{IRI: actor}},
		Object: []Ref{{IRI: follow.ID, Object: embedded}}}
}

// NewUndo takes back an earlier Follow, Like, Announce or Block, embedding
// it whole and reusing its addressing.
func NewUndo(id, actor string, activity *Object) *Object {
	return &Object{ID: id, Type: TypeUndo, Actor: []Ref{{IRI: actor}}, To: activity.To, CC: activity.CC,
		Object: []Ref{{IRI: activity.ID, Object: activity}}}
}

// NewLike favourites a post.
func NewLike(id, actor, object string) *Object { return simple(id, TypeLike, actor, object) }

// NewBlock blocks an account.
func NewBlock(id, actor, target string) *Object { return simple(id, TypeBlock, actor, target) }

// NewAnnounce boosts a post by objectAuthor. Mastodon addresses a boost by
// its own visibility and puts the boosted author first in cc.
func NewAnnounce(id, actor, object, objectAuthor, followers string, vis model.Visibility, published time.Time) *Object {
	to, cc := Addressing(vis, followers, nil)
	cc = append([]string{objectAuthor}, cc...)
	return &Object{ID: id, Type: TypeAnnounce, Actor: []Ref{{IRI: actor}}, Published: utc(published),
		To: to, CC: uniq(cc), Object: []Ref{{IRI: object}}}
}

// NewFlag reports an account and some of its posts to their server's
// moderators. actor is normally the instance actor, so the reporter stays
// anonymous to the other server; content is the reporter's comment.
func NewFlag(id, actor, content string, objects []string) *Object {
	f := &Object{ID: id, Type: TypeFlag, Actor: []Ref{{IRI: actor}}, Content: content}
	for _, o := range objects {
		f.Object = append(f.Object, Ref{IRI: o})
	}
	return f
}

// NewMove tells followers that actor now lives at target; target must list
// actor in alsoKnownAs for servers to act on it.
func NewMove(id, actor, target string) *Object {
	m := simple(id, TypeMove, actor, actor)
	m.Target = Ref{IRI: target}
	return m
}

// NewAdd adds object to a collection of actor's, such as featured (pin).
func NewAdd(id, actor, object, collection string) *Object {
	a := simple(id, TypeAdd, actor, object)
	a.Target = Ref{IRI: collection}
	return a
}

// NewRemove removes object from a collection of actor's (unpin).
func NewRemove(id, actor, object, collection string) *Object {
	r := simple(id, TypeRemove, actor, object)
	r.Target = Ref{IRI: collection}
	return r
}

// NewOrderedCollection returns a collection summary that points at its
// first page, as Mastodon serves followers, following and outbox.
func NewOrderedCollection(id string, total int, first string) *Object {
	o := &Object{ID: id, Type: TypeOrderedCollection, TotalItems: &total}
	if first != "" {
		o.First = Ref{IRI: first}
	}
	return o
}

// NewOrderedCollectionPage returns one page of a collection.
func NewOrderedCollectionPage(id, partOf, next, prev string, items []Ref) *Object {
	return &Object{ID: id, Type: TypeOrderedCollectionPage, PartOf: iriRef(partOf),
		Next: iriRef(next), Prev: iriRef(prev), Items: items}
}

func simple(id, typ, actor, object string) *Object {
	return &Object{ID: id, Type: typ, Actor: []Ref{{IRI: actor}}, Object: []Ref{{IRI: object}}}
}

func iriRef(iri string) Ref { return Ref{IRI: iri} }

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
