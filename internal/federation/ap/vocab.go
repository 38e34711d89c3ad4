package ap

// PublicIRI is the ActivityStreams public collection. Decode rewrites the
// compact spellings "as:Public" and "Public" to it.
const PublicIRI = "https://www.w3.org/ns/activitystreams#Public"

// IsPublic reports whether iri names the public collection, in any of the
// three spellings servers use.
func IsPublic(iri string) bool {
	return iri == PublicIRI || iri == "as:Public" || iri == "Public"
}

// Activity types.
const (
	TypeCreate   = "Create"
	TypeUpdate   = "Update"
	TypeDelete   = "Delete"
	TypeFollow   = "Follow"
	TypeAccept   = "Accept"
	TypeReject   = "Reject"
	TypeUndo     = "Undo"
	TypeLike     = "Like"
	TypeAnnounce = "Announce"
	TypeBlock    = "Block"
	TypeFlag     = "Flag"
	TypeMove     = "Move"
	TypeAdd      = "Add"
	TypeRemove   = "Remove"
)

// Object types.
const (
	TypeNote      = "Note"
	TypeArticle   = "Article"
	TypePage      = "Page"
	TypeQuestion  = "Question"
	TypeEvent     = "Event"
	TypeImage     = "Image"
	TypeVideo     = "Video"
	TypeAudio     = "Audio"
	TypeDocument  = "Document"
	TypeTombstone = "Tombstone"
)

// Actor types.
const (
	TypePerson       = "Person"
	TypeService      = "Service"
	TypeApplication  = "Application"
	TypeGroup        = "Group"
	TypeOrganization = "Organization"
)

// Collection types.
const (
	TypeCollection            = "Collection"
	TypeOrderedCollection     = "OrderedCollection"
	TypeCollectionPage        = "CollectionPage"
	TypeOrderedCollectionPage = "OrderedCollectionPage"
)

// Tag and attachment types.
const (
	TypeMention       = "Mention"
	TypeHashtag       = "Hashtag"
	TypeEmoji         = "Emoji"
	TypeLink          = "Link"
	TypePropertyValue = "PropertyValue"
	TypeMultikey      = "Multikey"
)

type kind uint8

const (
	kindUnknown kind = iota
	kindActivity
	kindPost // content a timeline shows
	kindMedia
	kindTombstone
	kindActor
	kindCollection
)

var kinds = map[string]kind{
	TypeCreate: kindActivity, TypeUpdate: kindActivity, TypeDelete: kindActivity,
	TypeFollow: kindActivity, TypeAccept: kindActivity, TypeReject: kindActivity,
	TypeUndo: kindActivity, TypeLike: kindActivity, TypeAnnounce: kindActivity,
	TypeBlock: kindActivity, TypeFlag: kindActivity, TypeMove: kindActivity,
	TypeAdd: kindActivity, TypeRemove: kindActivity,

	TypeNote: kindPost, TypeArticle: kindPost, TypePage: kindPost,
	TypeQuestion: kindPost, TypeEvent: kindPost,

	TypeImage: kindMedia, TypeVideo: kindMedia, TypeAudio: kindMedia, TypeDocument: kindMedia,

	TypeTombstone: kindTombstone,

	TypePerson: kindActor, TypeService: kindActor, TypeApplication: kindActor,
	TypeGroup: kindActor, TypeOrganization: kindActor,

	TypeCollection: kindCollection, TypeOrderedCollection: kindCollection,
	TypeCollectionPage: kindCollection, TypeOrderedCollectionPage: kindCollection,
}

// Supported reports whether Decode accepts a top-level document of type t.
func Supported(t string) bool { return kinds[t] != kindUnknown }
