package ap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Marshal encodes o as a top-level ActivityStreams document with an
// @context that declares every extension term it uses. Output is compact,
// with object keys in sorted order, so the same value always encodes to
// the same bytes. HTML in content is not escaped further than JSON needs.
func Marshal(o *Object) ([]byte, error) {
	m := o.toMap()
	m["@context"] = contextFor(o)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("activitystreams: encode %s: %w", o.Type, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// MarshalIndent is Marshal with indentation, for golden files and people.
func MarshalIndent(o *Object) ([]byte, error) {
	b, err := Marshal(o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return nil, fmt.Errorf("activitystreams: indent: %w", err)
	}
	return buf.Bytes(), nil
}

// fields is an object under construction; put skips empty values so every
// encoder below can state each property once.
type fields map[string]any

func (f fields) put(key string, v any) {
	switch t := v.(type) {
	case nil:
		return
	case string:
		if t == "" {
			return
		}
	case []string:
		if len(t) == 0 {
			return
		}
	case []any:
		if len(t) == 0 {
			return
		}
	case map[string]any:
		if t == nil {
			return
		}
	case fields:
		if t == nil {
			return
		}
	case map[string]string:
		if len(t) == 0 {
			return
		}
	case time.Time:
		if t.IsZero() {
			return
		}
		v = formatTime(t)
	}
	f[key] = v
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (o *Object) toMap() fields {
	f := fields{"id": o.ID}
	if o.ID == "" {
		delete(f, "id")
	}
	if len(o.Types) > 1 {
		f.put("type", o.Types)
	} else {
		f.put("type", o.Type)
	}
	o.encodeCommon(f)
	o.encodeQuestion(f)
	o.encodeActivity(f)
	o.encodeActor(f)
	o.encodeCollection(f)
	return f
}

func (o *Object) encodeCommon(f fields) {
	f.put("name", o.Name)
	f.put("summary", o.Summary)
	f.put("content", o.Content)
	f.put("contentMap", o.ContentMap)
	f.put("mediaType", o.MediaType)
	if o.Source != nil {
		f.put("source", fields{"content": o.Source.Content, "mediaType": o.Source.MediaType})
	}
	if o.Sensitive || o.IsPost() {
		f["sensitive"] = o.Sensitive
	}
	f.put("published", o.Published)
	f.put("updated", o.Updated)
	f.put("inReplyTo", o.InReplyTo)
	f.put("url", linksValue(o.URL))
	f.put("attributedTo", refsValue(o.AttributedTo, false))
	f.put("to", o.To)
	f.put("cc", o.CC)
	f.put("bto", o.BTo)
	f.put("bcc", o.BCC)
	f.put("audience", o.Audience)
	f.put("tag", tagsValue(o.Tag))
	f.put("attachment", attachmentsValue(o.Attachment))
	f.put("icon", imageValue(o.Icon))
	f.put("image", imageValue(o.Image))
	f.put("conversation", o.Conversation)
	f.put("context", o.Context)
	f.put("replies", o.Replies.value())
	f.put("quoteUrl", o.Quote)
	if o.InteractionPolicy != nil {
		f.put("interactionPolicy", o.InteractionPolicy.value())
	}
	f.put("formerType", o.FormerType)
	f.put("deleted", o.Deleted)
}

func (o *Object) encodeQuestion(f fields) {
	f.put("oneOf", objectsValue(o.OneOf))
	f.put("anyOf", objectsValue(o.AnyOf))
	f.put("endTime", o.EndTime)
	f.put("closed", o.Closed)
	if o.VotersCount > 0 || o.Type == TypeQuestion {
		f["votersCount"] = o.VotersCount
	}
}

func (o *Object) encodeActivity(f fields) {
	f.put("actor", refsValue(o.Actor, false))
	// Mastodon sends a Flag's objects as an array even when there is one.
	f.put("object", refsValue(o.Object, o.Type == TypeFlag))
	f.put("target", o.Target.value())
}

func (o *Object) encodeActor(f fields) {
	f.put("preferredUsername", o.PreferredUsername)
	f.put("inbox", o.Inbox)
	f.put("outbox", o.Outbox)
	f.put("followers", o.Followers)
	f.put("following", o.Following)
	f.put("featured", o.Featured)
	f.put("featuredTags", o.FeaturedTags)
	if o.SharedInbox != "" {
		f["endpoints"] = fields{"sharedInbox": o.SharedInbox}
	}
	f.put("publicKey", publicKeysValue(o.PublicKey))
	f.put("assertionMethod", multikeysValue(o.AssertionMethod))
	if o.IsActor() {
		f["manuallyApprovesFollowers"] = o.ManuallyApprovesFollowers
		f["discoverable"] = o.Discoverable
		f["indexable"] = o.Indexable
	} else {
		putTrue(f, "manuallyApprovesFollowers", o.ManuallyApprovesFollowers)
		putTrue(f, "discoverable", o.Discoverable)
		putTrue(f, "indexable", o.Indexable)
	}
	f.put("movedTo", o.MovedTo)
	f.put("alsoKnownAs", o.AlsoKnownAs)
}

func (o *Object) encodeCollection(f fields) {
	if o.TotalItems != nil {
		f["totalItems"] = *o.TotalItems
	}
	f.put("first", o.First.value())
	f.put("last", o.Last.value())
	f.put("next", o.Next.value())
	f.put("prev", o.Prev.value())
	f.put("partOf", o.PartOf.value())
	key := "items"
	if o.Type == TypeOrderedCollection || o.Type == TypeOrderedCollectionPage {
		key = "orderedItems"
	}
	items := refsValue(o.Items, true)
	if items == nil && (o.Type == TypeCollectionPage || o.Type == TypeOrderedCollectionPage) {
		items = []any{} // a page always lists its items, even none
	}
	if items != nil {
		f[key] = items
	}
}

func putTrue(f fields, key string, b bool) {
	if b {
		f[key] = true
	}
}

// value encodes a Ref: the embedded object when there is one, else the IRI.
func (r Ref) value() any {
	if r.Object != nil {
		return r.Object.toMap()
	}
	if r.IRI == "" {
		return nil
	}
	return r.IRI
}

// refsValue encodes a list of refs: nothing, one value, or an array.
func refsValue(rs []Ref, alwaysArray bool) any {
	var out []any
	for _, r := range rs {
		if v := r.value(); v != nil {
			out = append(out, v)
		}
	}
	switch {
	case len(out) == 0:
		return nil
	case len(out) == 1 && !alwaysArray:
		return out[0]
	}
	return out
}

func linksValue(ls []Link) any {
	var out []any
	for _, l := range ls {
		if l.Type == "" && l.MediaType == "" && l.Name == "" {
			out = append(out, l.Href)
			continue
		}
		f := fields{}
		f.put("type", l.Type)
		f.put("href", l.Href)
		f.put("mediaType", l.MediaType)
		f.put("name", l.Name)
		out = append(out, f)
	}
	if len(out) == 1 {
		return out[0]
	}
	return out
}

func imageValue(img *Image) any {
	if img == nil {
		return nil
	}
	f := fields{}
	f.put("type", img.Type)
	f.put("mediaType", img.MediaType)
	f.put("url", img.URL)
	f.put("name", img.Name)
	return f
}

func tagsValue(ts []Tag) []any {
	var out []any
	for _, t := range ts {
		f := fields{}
		f.put("type", t.Type)
		f.put("id", t.ID)
		f.put("href", t.Href)
		f.put("name", t.Name)
		f.put("mediaType", t.MediaType)
		f.put("updated", t.Updated)
		f.put("icon", imageValue(t.Icon))
		out = append(out, f)
	}
	return out
}

func attachmentsValue(as []Attachment) []any {
	var out []any
	for _, a := range as {
		f := fields{}
		f.put("type", a.Type)
		f.put("mediaType", a.MediaType)
		if a.Type == TypeLink {
			f.put("href", a.URL)
		} else {
			f.put("url", a.URL)
		}
		f.put("name", a.Name)
		f.put("value", a.Value)
		f.put("blurhash", a.Blurhash)
		if len(a.FocalPoint) == 2 {
			f["focalPoint"] = a.FocalPoint
		}
		if a.Width > 0 {
			f["width"] = a.Width
		}
		if a.Height > 0 {
			f["height"] = a.Height
		}
		out = append(out, f)
	}
	return out
}

func objectsValue(os []*Object) []any {
	var out []any
	for _, o := range os {
		out = append(out, o.toMap())
	}
	return out
}

func publicKeysValue(ks []PublicKey) any {
	var out []any
	for _, k := range ks {
		f := fields{}
		f.put("id", k.ID)
		f.put("owner", k.Owner)
		f.put("publicKeyPem", k.PEM)
		out = append(out, f)
	}
	switch len(out) {
	case 0:
		return nil
	case 1: // the shape Mastodon sends and every server reads
		return out[0]
	}
	return out
}

func multikeysValue(ks []Multikey) []any {
	var out []any
	for _, k := range ks {
		f := fields{"type": TypeMultikey}
		f.put("id", k.ID)
		f.put("controller", k.Controller)
		f.put("publicKeyMultibase", k.PublicKeyMultibase)
		out = append(out, f)
	}
	return out
}

func (p *InteractionPolicy) value() fields {
	f := fields{}
	f.put("canLike", p.CanLike.value())
	f.put("canReply", p.CanReply.value())
	f.put("canAnnounce", p.CanAnnounce.value())
	return f
}

func (r InteractionRule) value() any {
	if len(r.AutomaticApproval) == 0 && len(r.ManualApproval) == 0 {
		return nil
	}
	f := fields{}
	f.put("automaticApproval", r.AutomaticApproval)
	f.put("manualApproval", r.ManualApproval)
	return f
}
