package ap

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Decode reads one ActivityStreams document under DefaultLimits. See
// Limits.Decode.
func Decode(data []byte) (*Object, error) { return DefaultLimits.Decode(data) }

// Decode reads one ActivityStreams document: an activity, post, actor,
// collection or Tombstone. It returns ErrTooLarge when the document breaks
// a limit, ErrMalformed when it is not a JSON object, and an
// *UnsupportedTypeError (matching ErrUnsupportedType) when its type is
// missing or not one Supported accepts. Embedded objects of unknown types
// are kept, with their Type, for the caller to judge.
//
// Callers reading from the network should read at most MaxBytes+1 bytes
// and pass them all, so an oversized body is reported as such.
func (l Limits) Decode(data []byte) (*Object, error) {
	tree, err := l.parse(data)
	if err != nil {
		return nil, err
	}
	o := objectFrom(tree)
	if !Supported(o.Type) {
		return nil, &UnsupportedTypeError{Type: o.Type}
	}
	return o, nil
}

// DecodeActor is Decode that also requires an actor type.
func DecodeActor(data []byte) (*Object, error) {
	o, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if !o.IsActor() {
		return nil, &UnsupportedTypeError{Type: o.Type}
	}
	return o, nil
}

func objectFrom(m map[string]any) *Object {
	o := &Object{ID: str(m["id"])}
	o.Type, o.Types = types(m["type"])
	decodeCommon(o, m)
	decodeQuestion(o, m)
	decodeActivity(o, m)
	decodeActor(o, m)
	decodeCollection(o, m)
	return o
}

func decodeCommon(o *Object, m map[string]any) {
	o.Name = str(m["name"])
	o.Summary = str(m["summary"])
	o.Content = str(m["content"])
	o.ContentMap = langMap(m["contentMap"])
	o.MediaType = str(m["mediaType"])
	o.Source = source(m["source"])
	o.Sensitive = boolean(m["sensitive"])
	o.Published = timestamp(m["published"])
	o.Updated = timestamp(m["updated"])
	o.InReplyTo = iri(m["inReplyTo"])
	o.URL = links(m["url"])
	o.AttributedTo = refs(m["attributedTo"])
	o.To = audience(m["to"])
	o.CC = audience(m["cc"])
	o.BTo = audience(m["bto"])
	o.BCC = audience(m["bcc"])
	o.Audience = audience(m["audience"])
	o.Tag = tags(m["tag"])
	o.Attachment = attachments(m["attachment"])
	o.Icon = image(m["icon"])
	o.Image = image(m["image"])
	o.Conversation = iri(m["conversation"])
	o.Context = iri(m["context"])
	o.Replies = ref(m["replies"])
	o.Quote = firstNonEmpty(iri(m["quote"]), iri(m["quoteUrl"]), iri(m["quoteUri"]), iri(m["_misskey_quote"]))
	o.InteractionPolicy = interactionPolicy(m["interactionPolicy"])
	o.FormerType = str(m["formerType"])
	o.Deleted = timestamp(m["deleted"])
}

func decodeQuestion(o *Object, m map[string]any) {
	o.OneOf = embedded(m["oneOf"])
	o.AnyOf = embedded(m["anyOf"])
	o.EndTime = timestamp(m["endTime"])
	o.Closed = timestamp(m["closed"])
	if n := count(m["votersCount"]); n != nil {
		o.VotersCount = *n
	}
}

func decodeActivity(o *Object, m map[string]any) {
	o.Actor = refs(m["actor"])
	o.Object = refs(m["object"])
	o.Target = ref(m["target"])
}

func decodeActor(o *Object, m map[string]any) {
	o.PreferredUsername = str(m["preferredUsername"])
	o.Inbox = iri(m["inbox"])
	o.Outbox = iri(m["outbox"])
	o.Followers = iri(m["followers"])
	o.Following = iri(m["following"])
	o.Featured = iri(m["featured"])
	o.FeaturedTags = iri(m["featuredTags"])
	if ep, ok := m["endpoints"].(map[string]any); ok {
		o.SharedInbox = iri(ep["sharedInbox"])
	}
	o.PublicKey = publicKeys(m["publicKey"])
	o.AssertionMethod = multikeys(m["assertionMethod"])
	o.ManuallyApprovesFollowers = boolean(m["manuallyApprovesFollowers"])
	o.Discoverable = boolean(m["discoverable"])
	o.Indexable = boolean(m["indexable"])
	o.MovedTo = iri(m["movedTo"])
	o.AlsoKnownAs = iris(m["alsoKnownAs"])
}

func decodeCollection(o *Object, m map[string]any) {
	o.TotalItems = count(m["totalItems"])
	o.First = ref(m["first"])
	o.Last = ref(m["last"])
	o.Next = ref(m["next"])
	o.Prev = ref(m["prev"])
	o.PartOf = ref(m["partOf"])
	if v, ok := m["orderedItems"]; ok {
		o.Items = refs(v)
	} else {
		o.Items = refs(m["items"])
	}
}

// types reads "type": a string, or an array whose first known entry becomes
// Type.
func types(v any) (string, []string) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	all := strs(v)
	if len(all) == 0 {
		return "", nil
	}
	primary := all[0]
	for _, t := range all {
		if Supported(t) {
			primary = t
			break
		}
	}
	if len(all) == 1 {
		return primary, nil
	}
	return primary, all
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a string or an array, keeping the string elements.
func strs(v any) []string {
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func boolean(v any) bool {
	b, _ := v.(bool)
	return b
}

// iri reads a value that names something: a string, or an object's id (or
// href, for a Link). An array yields its first usable entry.
func iri(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return firstNonEmpty(str(t["id"]), str(t["href"]))
	case []any:
		for _, e := range t {
			if s := iri(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// iris reads a string, an object, or an array of those into IRIs.
func iris(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := iri(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// audience is iris with the public collection's spellings unified.
func audience(v any) []string {
	out := iris(v)
	for i, s := range out {
		if IsPublic(s) {
			out[i] = PublicIRI
		}
	}
	return out
}

// list treats a single value as a one-element array: servers compact
// single-element arrays (GoToSocial sends "to": "..." and "tag": {...}).
func list(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

func ref(v any) Ref {
	for _, e := range list(v) {
		if r, ok := refOf(e); ok {
			return r
		}
	}
	return Ref{}
}

func refs(v any) []Ref {
	var out []Ref
	for _, e := range list(v) {
		if r, ok := refOf(e); ok {
			out = append(out, r)
		}
	}
	return out
}

func refOf(v any) (Ref, bool) {
	switch t := v.(type) {
	case string:
		return Ref{IRI: t}, t != ""
	case map[string]any:
		if _, hasID := t["id"]; !hasID && t["href"] != nil {
			// A Link standing for its target.
			h := str(t["href"])
			return Ref{IRI: h}, h != ""
		}
		obj := objectFrom(t)
		return Ref{IRI: obj.ID, Object: obj}, true
	}
	return Ref{}, false
}

func embedded(v any) []*Object {
	var out []*Object
	for _, e := range list(v) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, objectFrom(m))
		}
	}
	return out
}

// timestamp reads an xsd:dateTime. Servers differ in precision (Pleroma
// sends microseconds) and zone; anything unparsable is treated as absent.
func timestamp(v any) time.Time {
	s, ok := v.(string)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 { // a zone offset pushed it out of RFC 3339's range
		return time.Time{}
	}
	return t
}

// count reads a non-negative integer; absent, negative, fractional or
// oversized values are nil.
func count(v any) *int {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || i < 0 || i > math.MaxInt32 {
		return nil
	}
	c := int(i)
	return &c
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func langMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func source(v any) *Source {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	s := &Source{Content: str(m["content"]), MediaType: str(m["mediaType"])}
	if *s == (Source{}) {
		return nil
	}
	return s
}

func links(v any) []Link {
	var out []Link
	for _, e := range list(v) {
		switch t := e.(type) {
		case string:
			if t != "" {
				out = append(out, Link{Href: t})
			}
		case map[string]any:
			l := Link{Type: str(t["type"]), Href: firstNonEmpty(str(t["href"]), str(t["url"])),
				MediaType: str(t["mediaType"]), Name: str(t["name"])}
			if l.Href != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// image reads an icon or image: an Image object, a bare URL, or an array
// of either (the first usable one wins).
func image(v any) *Image {
	for _, e := range list(v) {
		switch t := e.(type) {
		case string:
			if t != "" {
				return &Image{URL: t}
			}
		case map[string]any:
			img := &Image{Type: str(t["type"]), MediaType: str(t["mediaType"]),
				URL: firstNonEmpty(iri(t["url"]), str(t["href"])), Name: str(t["name"])}
			if img.URL != "" {
				return img
			}
		}
	}
	return nil
}

func tags(v any) []Tag {
	var out []Tag
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		t := Tag{Type: str(m["type"]), ID: str(m["id"]), Href: iri(m["href"]), Name: str(m["name"]),
			MediaType: str(m["mediaType"]), Updated: timestamp(m["updated"]), Icon: image(m["icon"])}
		if t.Type == "" && t.Href == "" && t.Name == "" {
			continue
		}
		out = append(out, t)
	}
	return out
}

func attachments(v any) []Attachment {
	var out []Attachment
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, attachment(m))
	}
	return out
}

func attachment(m map[string]any) Attachment {
	a := Attachment{
		Type:      str(m["type"]),
		MediaType: str(m["mediaType"]),
		URL:       firstNonEmpty(iri(m["url"]), str(m["href"])),
		Name:      str(m["name"]),
		Value:     str(m["value"]),
		Blurhash:  str(m["blurhash"]),
	}
	if fp, ok := m["focalPoint"].([]any); ok && len(fp) == 2 {
		x, okx := number(fp[0])
		y, oky := number(fp[1])
		if okx && oky {
			a.FocalPoint = []float64{x, y}
		}
	}
	if n := count(m["width"]); n != nil {
		a.Width = *n
	}
	if n := count(m["height"]); n != nil {
		a.Height = *n
	}
	return a
}

func publicKeys(v any) []PublicKey {
	var out []PublicKey
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		k := PublicKey{ID: str(m["id"]), Owner: iri(m["owner"]), PEM: str(m["publicKeyPem"])}
		if k.ID != "" || k.PEM != "" {
			out = append(out, k)
		}
	}
	return out
}

func multikeys(v any) []Multikey {
	var out []Multikey
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok || str(m["type"]) != TypeMultikey {
			continue
		}
		out = append(out, Multikey{ID: str(m["id"]), Controller: iri(m["controller"]),
			PublicKeyMultibase: str(m["publicKeyMultibase"])})
	}
	return out
}

func interactionPolicy(v any) *InteractionPolicy {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return &InteractionPolicy{
		CanLike:     interactionRule(m["canLike"]),
		CanReply:    interactionRule(m["canReply"]),
		CanAnnounce: interactionRule(m["canAnnounce"]),
	}
}

func interactionRule(v any) InteractionRule {
	m, ok := v.(map[string]any)
	if !ok {
		return InteractionRule{}
	}
	r := InteractionRule{AutomaticApproval: audience(m["automaticApproval"]), ManualApproval: audience(m["manualApproval"])}
	if _, ok := m["automaticApproval"]; !ok {
		r.AutomaticApproval = audience(m["always"])
	}
	if _, ok := m["manualApproval"]; !ok {
		r.ManualApproval = audience(m["approvalRequired"])
	}
	return r
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
