package ap

import (
	"fmt"
	"slices"
	"time"
)

// Object is any ActivityStreams object this package reads or writes: an
// activity, a post (Note, Article, Page, Question), an actor, a collection,
// a Tombstone. ActivityStreams properties are orthogonal to types, so one
// flat struct holds them all; the groups below say which types use which.
// Zero values mean "absent". Times are UTC.
type Object struct {
	ID    string
	Type  string   // the first type this package knows, else the first sent
	Types []string // every type, when "type" was an array of more than one

	// Common to objects.
	Name         string
	Summary      string // content warning on posts, bio on actors (HTML)
	Content      string // HTML, unsanitized as received
	ContentMap   map[string]string
	MediaType    string
	Source       *Source
	Sensitive    bool
	Published    time.Time
	Updated      time.Time
	InReplyTo    string
	URL          []Link
	AttributedTo []Ref
	To           []string
	CC           []string
	BTo          []string
	BCC          []string
	Audience     []string
	Tag          []Tag
	Attachment   []Attachment
	Icon         *Image
	Image        *Image
	Conversation string // OStatus conversation (Mastodon)
	Context      string // thread IRI (Pleroma, Akkoma, GoToSocial)
	Replies      Ref

	// Quote is the quoted post, read from quote, quoteUrl, quoteUri or
	// _misskey_quote (the first present). Recorded only.
	Quote string

	// InteractionPolicy is GoToSocial's statement of who may like, reply
	// and boost; nil when absent.
	InteractionPolicy *InteractionPolicy

	// Tombstone.
	FormerType string
	Deleted    time.Time

	// Question.
	OneOf       []*Object // single-choice options: Name, Replies.TotalItems
	AnyOf       []*Object // multiple-choice options
	EndTime     time.Time
	Closed      time.Time
	VotersCount int

	// Activity.
	Actor  []Ref // normally one
	Object []Ref // IRI, embedded object, or several (Flag)
	Target Ref   // Move: the new account; Add/Remove: the collection

	// Actor.
	PreferredUsername         string
	Inbox                     string
	Outbox                    string
	Followers                 string
	Following                 string
	Featured                  string
	FeaturedTags              string
	SharedInbox               string // endpoints.sharedInbox
	PublicKey                 []PublicKey
	AssertionMethod           []Multikey
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Indexable                 bool
	MovedTo                   string
	AlsoKnownAs               []string

	// Collection and page.
	TotalItems *int
	First      Ref
	Last       Ref
	Next       Ref
	Prev       Ref
	PartOf     Ref
	Items      []Ref // items or orderedItems
}

// Ref is a property value that may be an IRI or an embedded object. IRI is
// always set when known: for an embedded object it is the object's id.
type Ref struct {
	IRI    string
	Object *Object // nil when only the IRI was sent
}

// IsZero reports whether r holds nothing.
func (r Ref) IsZero() bool { return r.IRI == "" && r.Object == nil }

// Link is one url value: a bare IRI (Type empty) or a Link object.
type Link struct {
	Type      string
	Href      string
	MediaType string
	Name      string
}

// Image is an icon or header image, or an emoji's picture.
type Image struct {
	Type      string
	MediaType string
	URL       string
	Name      string // description
}

// Tag is one entry of "tag": a Mention (Href is the actor), a Hashtag (Href
// is the tag page), an Emoji (Name is ":shortcode:", Icon the image), or a
// Link (FEP-e232 object links).
type Tag struct {
	Type      string
	ID        string
	Href      string
	Name      string
	MediaType string
	Updated   time.Time
	Icon      *Image
}

// Attachment is one entry of "attachment": media (Document, Image, Video,
// Audio, Link) on posts, profile fields (PropertyValue) on actors.
type Attachment struct {
	Type       string
	MediaType  string
	URL        string
	Name       string // alt text; field name for PropertyValue
	Value      string // PropertyValue only (HTML)
	Blurhash   string
	FocalPoint []float64 // Mastodon: [x, y] in -1..1
	Width      int
	Height     int
}

// Source is the text a post was written in, as Misskey and Pleroma send it.
type Source struct {
	Content   string
	MediaType string
}

// PublicKey is a draft-cavage signing key ("publicKey" on actors).
type PublicKey struct {
	ID    string
	Owner string
	PEM   string
}

// Multikey is an FEP-521a key in "assertionMethod".
type Multikey struct {
	ID                 string
	Controller         string
	PublicKeyMultibase string
}

// InteractionPolicy is GoToSocial's interactionPolicy.
type InteractionPolicy struct {
	CanLike     InteractionRule
	CanReply    InteractionRule
	CanAnnounce InteractionRule
}

// InteractionRule lists who may interact without approval and who may ask
// for it. Older GoToSocial names (always, approvalRequired) are read too.
type InteractionRule struct {
	AutomaticApproval []string
	ManualApproval    []string
}

// IsActivity reports whether o is an activity type this package knows.
func (o *Object) IsActivity() bool { return kinds[o.Type] == kindActivity }

// IsPost reports whether o is content a timeline shows: Note, Article,
// Page, Question or Event.
func (o *Object) IsPost() bool { return kinds[o.Type] == kindPost }

// IsActor reports whether o is an actor: Person, Service, Application,
// Group or Organization.
func (o *Object) IsActor() bool { return kinds[o.Type] == kindActor }

// IsCollection reports whether o is a collection or collection page.
func (o *Object) IsCollection() bool { return kinds[o.Type] == kindCollection }

// HasType reports whether t is among o's types.
func (o *Object) HasType(t string) bool { return o.Type == t || slices.Contains(o.Types, t) }

// ActorIRI returns the first actor's IRI, or "".
func (o *Object) ActorIRI() string { return firstIRI(o.Actor) }

// ObjectIRI returns the first object's IRI, or "".
func (o *Object) ObjectIRI() string { return firstIRI(o.Object) }

// Embedded returns the first embedded object, or nil when the activity
// names its object by IRI only.
func (o *Object) Embedded() *Object {
	for _, r := range o.Object {
		if r.Object != nil {
			return r.Object
		}
	}
	return nil
}

// AttributedToIRI returns the first attributedTo IRI, or "".
func (o *Object) AttributedToIRI() string { return firstIRI(o.AttributedTo) }

// Language returns the language of the content: the only contentMap key, or
// the smallest key when there are several (deterministic), or "".
func (o *Object) Language() string {
	keys := make([]string, 0, len(o.ContentMap))
	for k := range o.ContentMap {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	return keys[0]
}

// HTMLURL returns the url a person would open: the first text/html link,
// else the first link, else "".
func (o *Object) HTMLURL() string {
	for _, l := range o.URL {
		if l.MediaType == "text/html" {
			return l.Href
		}
	}
	if len(o.URL) > 0 {
		return o.URL[0].Href
	}
	return ""
}

// MainKey returns the actor's publicKey with the given id, or the first one
// when id is "". ok is false when there is none.
func (o *Object) MainKey(id string) (PublicKey, bool) {
	for _, k := range o.PublicKey {
		if id == "" || k.ID == id {
			return k, true
		}
	}
	return PublicKey{}, false
}

// Mentions returns the hrefs of the Mention tags, in order.
func (o *Object) Mentions() []string {
	var out []string
	for _, t := range o.Tag {
		if t.Type == TypeMention && t.Href != "" {
			out = append(out, t.Href)
		}
	}
	return out
}

func firstIRI(rs []Ref) string {
	for _, r := range rs {
		if r.IRI != "" {
			return r.IRI
		}
	}
	return ""
}

// String gives a short description for logs: type and id only, never
// content.
func (o *Object) String() string {
	return fmt.Sprintf("%s %s", o.Type, o.ID)
}
