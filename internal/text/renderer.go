package text

import "strings"

// renderer holds the state of one Render call.
type renderer struct {
	opt      Options
	resolved map[string]resolution // by mentionKey
	mentions []Mention
	tags     []string
	tagSeen  map[string]bool
}

type resolution struct {
	url string
	ok  bool
}

// inline renders src with entities linked and newlines kept as they are.
func (r *renderer) inline(src string) string {
	var b strings.Builder
	last := 0
	for _, e := range extract(src, true) {
		b.WriteString(escape(src[last:e.start]))
		b.WriteString(r.entity(e, src[e.start:e.end]))
		last = e.end
	}
	b.WriteString(escape(src[last:]))
	return b.String()
}

func (r *renderer) entity(e entity, raw string) string {
	switch e.kind {
	case kindURL:
		return linkURL(raw, rel)
	case kindTag:
		r.addTag(e.name)
		return linkTag(e.name, r.opt.BaseURL)
	}
	u, ok := r.resolve(e.user, e.domain)
	if !ok {
		return escape(raw)
	}
	return linkMention(e.user, u)
}

func (r *renderer) addTag(name string) {
	name = strings.ToLower(name)
	if !r.tagSeen[name] {
		r.tagSeen[name] = true
		r.tags = append(r.tags, name)
	}
}

// resolve asks Options.ResolveMention once per account and records each
// resolved account in r.mentions.
func (r *renderer) resolve(user, domain string) (string, bool) {
	if r.opt.LocalDomain != "" && strings.EqualFold(domain, r.opt.LocalDomain) {
		domain = ""
	}
	key := mentionKey(user, domain)
	if res, done := r.resolved[key]; done {
		return res.url, res.ok
	}
	var res resolution
	if r.opt.ResolveMention != nil {
		res.url, res.ok = r.opt.ResolveMention(user, domain)
	}
	r.resolved[key] = res
	if res.ok {
		r.mentions = append(r.mentions, Mention{Username: user, Domain: domain, URL: res.url})
	}
	return res.url, res.ok
}
