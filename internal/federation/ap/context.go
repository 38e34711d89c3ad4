package ap

// JSON-LD contexts Roost puts on what it sends.
const (
	ContextActivityStreams = "https://www.w3.org/ns/activitystreams"
	ContextSecurity        = "https://w3id.org/security/v1"
	ContextMultikey        = "https://w3id.org/security/multikey/v1"
	ContextGoToSocial      = "https://gotosocial.org/ns"
)

// extensionTerms defines, in one map, the non-ActivityStreams terms that
// Mastodon declares on actors and statuses, plus the few others Roost
// writes (FEP-521a's assertionMethod, quoteUrl). A document that carries an
// actor or a post gets all of them; keeping one map makes the output
// predictable and costs a few hundred bytes.
var extensionTerms = map[string]any{
	"toot":                      "http://joinmastodon.org/ns#",
	"schema":                    "http://schema.org#",
	"ostatus":                   "http://ostatus.org#",
	"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
	"sensitive":                 "as:sensitive",
	"Hashtag":                   "as:Hashtag",
	"quoteUrl":                  "as:quoteUrl",
	"movedTo":                   map[string]any{"@id": "as:movedTo", "@type": "@id"},
	"alsoKnownAs":               map[string]any{"@id": "as:alsoKnownAs", "@type": "@id"},
	"Emoji":                     "toot:Emoji",
	"featured":                  map[string]any{"@id": "toot:featured", "@type": "@id"},
	"featuredTags":              map[string]any{"@id": "toot:featuredTags", "@type": "@id"},
	"discoverable":              "toot:discoverable",
	"indexable":                 "toot:indexable",
	"blurhash":                  "toot:blurhash",
	"focalPoint":                map[string]any{"@container": "@list", "@id": "toot:focalPoint"},
	"votersCount":               "toot:votersCount",
	"PropertyValue":             "schema:PropertyValue",
	"value":                     "schema:value",
	"conversation":              "ostatus:conversation",
	// Full IRIs, so the term does not depend on which security context a
	// reader has loaded.
	"assertionMethod": map[string]any{
		"@id": "https://w3id.org/security#assertionMethod", "@type": "@id", "@container": "@set",
	},
}

// features records what a document uses, to choose its @context.
type features struct {
	rich, keys, multikeys, policy bool
}

func (f *features) scan(o *Object, depth int) {
	if o == nil || depth > 64 {
		return
	}
	if o.IsActor() || o.IsPost() || len(o.Tag) > 0 || len(o.Attachment) > 0 || o.Sensitive {
		f.rich = true
	}
	f.keys = f.keys || len(o.PublicKey) > 0
	f.multikeys = f.multikeys || len(o.AssertionMethod) > 0
	f.policy = f.policy || o.InteractionPolicy != nil
	for _, rs := range [][]Ref{o.Actor, o.Object, o.AttributedTo, o.Items,
		{o.Target, o.Replies, o.First, o.Last, o.Next, o.Prev, o.PartOf}} {
		for _, r := range rs {
			f.scan(r.Object, depth+1)
		}
	}
	for _, opt := range append(append([]*Object(nil), o.OneOf...), o.AnyOf...) {
		f.scan(opt, depth+1)
	}
}

// contextFor returns the @context for a document: the bare ActivityStreams
// context for plain activities (as Mastodon sends Follow, Like and the
// rest), and an array with the security contexts and extension terms when
// the document carries actors or posts.
func contextFor(o *Object) any {
	var f features
	f.scan(o, 0)
	if !f.rich && !f.keys && !f.multikeys && !f.policy {
		return ContextActivityStreams
	}
	ctx := []any{ContextActivityStreams}
	if f.keys {
		ctx = append(ctx, ContextSecurity)
	}
	if f.multikeys {
		ctx = append(ctx, ContextMultikey)
	}
	if f.policy {
		ctx = append(ctx, ContextGoToSocial)
	}
	return append(ctx, extensionTerms)
}
