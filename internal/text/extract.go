package text

type kind int

const (
	kindURL kind = iota
	kindMention
	kindTag
)

// entity is a URL, mention or hashtag found at src[start:end].
type entity struct {
	kind         kind
	start, end   int
	user, domain string // mentions
	name         string // hashtags, without "#"
}

// extract finds the entities of src in order. Scanning left to right and
// resuming after each entity gives Mastodon's overlap rule: the entity
// that starts first wins. Hashtags are looked for only if withTags.
func extract(src string, withTags bool) []entity {
	var out []entity
	for i := 0; i < len(src); {
		e, ok := entityAt(src, i, withTags)
		if !ok {
			i++
			continue
		}
		out = append(out, e)
		i = e.end
	}
	return out
}

func entityAt(s string, i int, withTags bool) (entity, bool) {
	switch {
	case s[i] == 'h' || s[i] == 'H':
		if end := scanURL(s, i); end > 0 {
			return entity{kind: kindURL, start: i, end: end}, true
		}
	case s[i] == '@':
		if user, domain, end, ok := scanMention(s, i); ok {
			return entity{kind: kindMention, start: i, end: end, user: user, domain: domain}, true
		}
	case withTags && (s[i] == '#' || isFullwidthHash(s, i)):
		if name, end, ok := scanTag(s, i); ok {
			return entity{kind: kindTag, start: i, end: end, name: name}, true
		}
	}
	return entity{}, false
}

func isFullwidthHash(s string, i int) bool {
	r, _ := runeAt(s, i)
	return r == '＃'
}
