package text

import (
	"net/url"
	"strings"
)

// Options are what Render needs to know about the instance.
type Options struct {
	// BaseURL is the instance's public URL, such as "https://roost.example";
	// hashtags link to BaseURL/tags/NAME.
	BaseURL string
	// LocalDomain is the instance's domain as it appears in acct URIs, such
	// as "roost.example" or "localhost:8080"; @user@LocalDomain is local.
	LocalDomain string
	// ResolveMention returns the profile URL of the account named by
	// username and domain (empty for local accounts), or ok false when there
	// is no such account. A nil ResolveMention resolves nothing. It is
	// called at most once per account and Render call.
	ResolveMention func(username, domain string) (url string, ok bool)
}

// Result is a rendered text and the entities found in it.
type Result struct {
	HTML string
	// Mentions are the resolved mentions, each account once, in order of
	// appearance; unresolved ones stay plain text and are not listed.
	Mentions []Mention
	// Tags are the hashtags, lower-cased, each once, in order of appearance.
	Tags []string
}

// rel is the rel attribute Mastodon puts on links in statuses.
const rel = "nofollow noopener noreferrer"

// Render turns the plain text of a status into the HTML Mastodon renders.
// Text is escaped; paragraphs become <p>…</p> and other newlines <br />;
// URLs, resolved mentions and hashtags become links. The only tags it emits
// are <p>, <br />, <a href="…" …> and <span> with the attributes Mastodon
// uses. Text that is empty or only white space renders as "".
func Render(src string, opt Options) Result {
	src = normalizeNewlines(strings.ToValidUTF8(src, "\uFFFD"))
	if strings.TrimSpace(src) == "" {
		return Result{}
	}
	r := renderer{opt: opt, resolved: map[string]resolution{}, tagSeen: map[string]bool{}}
	inline := r.inline(src)
	return Result{HTML: paragraphs(inline), Mentions: r.mentions, Tags: r.tags}
}

// NoteHTML renders a profile bio: like a status, with mentions and hashtags.
func NoteHTML(src string, opt Options) string {
	return Render(src, opt).HTML
}

// FieldHTML renders the value of a profile field: escaped, with URLs linked
// (rel="me" added, as Mastodon does, for link verification), and nothing
// else: no paragraphs, mentions or hashtags.
func FieldHTML(value string) string {
	value = strings.ToValidUTF8(value, "\uFFFD")
	var b strings.Builder
	last := 0
	for _, e := range extract(value, false) {
		if e.kind != kindURL {
			continue
		}
		b.WriteString(escape(value[last:e.start]))
		b.WriteString(linkURL(value[e.start:e.end], rel+" me"))
		last = e.end
	}
	b.WriteString(escape(value[last:]))
	return b.String()
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// paragraphs does what Rails' simple_format does for Mastodon: blank lines
// split paragraphs, other newlines become <br />, and newlines at the edges
// of a paragraph vanish. The inline HTML holds no newlines of its own.
func paragraphs(inline string) string {
	var b strings.Builder
	for _, p := range splitParagraphs(inline) {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(p, "\n", "<br />"))
		b.WriteString("</p>")
	}
	return b.String()
}

// splitParagraphs splits on runs of two or more newlines and trims single
// newlines from each part, dropping parts left empty.
func splitParagraphs(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "\n\n") {
		if part = strings.Trim(part, "\n"); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// escaper does Mastodon's (ERB's) HTML escaping.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escape(s string) string { return escaper.Replace(s) }

// urlPrefixes are the parts of a URL Mastodon hides before the shown part.
var urlPrefixes = []string{"https://www.", "http://www.", "https://", "http://"}

// displayLimit is how many characters of a URL Mastodon shows.
const displayLimit = 30

// linkURL renders a link the way Mastodon does: scheme (and "www.") hidden,
// 30 characters shown, the rest hidden behind an ellipsis.
func linkURL(u, rel string) string {
	prefix := ""
	for _, p := range urlPrefixes {
		if strings.HasPrefix(u, p) {
			prefix = p
			break
		}
	}
	shown, hidden := splitRunes(u[len(prefix):], displayLimit)
	class := ""
	if hidden != "" {
		class = "ellipsis"
	}
	return `<a href="` + escape(u) + `" target="_blank" rel="` + rel + `" translate="no">` +
		`<span class="invisible">` + escape(prefix) + `</span>` +
		`<span class="` + class + `">` + escape(shown) + `</span>` +
		`<span class="invisible">` + escape(hidden) + `</span></a>`
}

// splitRunes splits s after its first n code points.
func splitRunes(s string, n int) (string, string) {
	k := 0
	for i := range s {
		if k == n {
			return s[:i], s[i:]
		}
		k++
	}
	return s, ""
}

func linkTag(name, baseURL string) string {
	href := strings.TrimRight(baseURL, "/") + "/tags/" + url.PathEscape(name)
	return `<a href="` + escape(href) + `" class="mention hashtag" rel="tag">#<span>` + escape(name) + `</span></a>`
}

func linkMention(user, profileURL string) string {
	return `<span class="h-card" translate="no"><a href="` + escape(profileURL) +
		`" class="u-url mention">@<span>` + escape(user) + `</span></a></span>`
}
