package ap

import (
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// The HTML that remote content may keep, after Mastodon's strict remote
// policy:
//
//   - elements p, br, span, a, del, s, pre, blockquote, code, b, strong,
//     u, i, em, ul, ol, li, ruby, rt, rp; every other element is removed
//     and its text kept, except script, style and the like, whose content
//     goes too;
//   - h1 to h6 become <p><strong>, as Mastodon renders them;
//   - a keeps href only with a scheme Mastodon allows (linkSchemes), always
//     absolute, and gets rel="nofollow"; links with a host (http, https,
//     gemini, ...) also get target="_blank" and "noopener", opaque ones
//     (xmpp:, magnet:) open no window and need neither; an a without a
//     usable href becomes a span, so its text stays; rel and target from
//     the sender are dropped;
//   - a and span keep only the classes Mastodon allows: microformats
//     (h-, p-, u-, dt-, e-) and mention, hashtag, ellipsis, invisible;
//   - ol keeps start and reversed, li keeps value.
//
// The rewrite step handles what bluemonday cannot express (renames and
// per-class filtering); bluemonday then enforces the allow-list, so safety
// never rests on the rewrite.

var linkSchemes = []string{"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini"}

var remotePolicy = newRemotePolicy()

// SanitizeHTML reduces remote HTML to the elements and attributes Mastodon
// keeps. The result is safe to embed in a page and to hand to Mastodon
// clients as status content.
func SanitizeHTML(s string) string {
	return remotePolicy.Sanitize(rewriteHTML(s))
}

func newRemotePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "s", "pre", "blockquote", "code",
		"b", "strong", "u", "i", "em", "ul", "ol", "li", "ruby", "rt", "rp")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[A-Za-z0-9_ -]+$`)).OnElements("a", "span")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("reversed").Matching(regexp.MustCompile(`^(|reversed)$`)).OnElements("ol")
	p.AllowAttrs("value").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("li")
	p.AllowURLSchemes(linkSchemes...)
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}

// rewriteHTML renames headings, turns unusable links into spans and
// filters classes, token by token.
func rewriteHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var links []bool // for each open <a>: was it turned into a span?
	for {
		if z.Next() == html.ErrorToken {
			if z.Err() != io.EOF {
				b.WriteString(html.EscapeString(string(z.Raw())))
			}
			return b.String()
		}
		tok := z.Token()
		switch {
		case isHeading(tok.Data) && tok.Type == html.StartTagToken:
			b.WriteString("<p><strong>")
		case isHeading(tok.Data) && tok.Type == html.EndTagToken:
			b.WriteString("</strong></p>")
		case tok.Data == "a" && tok.Type == html.StartTagToken:
			usable := hasLinkHref(tok.Attr)
			links = append(links, !usable)
			if !usable {
				tok.Data, tok.DataAtom = "span", 0
			}
			b.WriteString(filterClasses(tok).String())
		case tok.Data == "a" && tok.Type == html.EndTagToken:
			if n := len(links); n > 0 && links[n-1] {
				tok.Data, tok.DataAtom = "span", 0
			}
			if n := len(links); n > 0 {
				links = links[:n-1]
			}
			b.WriteString(tok.String())
		case tok.Data == "span" && tok.Type == html.StartTagToken:
			b.WriteString(filterClasses(tok).String())
		default:
			b.WriteString(tok.String())
		}
	}
}

func isHeading(name string) bool {
	return len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6'
}

func hasLinkHref(attrs []html.Attribute) bool {
	for _, a := range attrs {
		if a.Key != "href" {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(a.Val))
		return err == nil && slices.Contains(linkSchemes, strings.ToLower(u.Scheme))
	}
	return false
}

// filterClasses keeps only the classes Mastodon allows on a and span.
func filterClasses(tok html.Token) html.Token {
	attrs := tok.Attr[:0:0]
	for _, a := range tok.Attr {
		if a.Key == "class" {
			a.Val = strings.Join(slices.DeleteFunc(strings.Fields(a.Val), notAllowedClass), " ")
			if a.Val == "" {
				continue
			}
		}
		attrs = append(attrs, a)
	}
	tok.Attr = attrs
	return tok
}

func notAllowedClass(c string) bool {
	switch c {
	case "mention", "hashtag", "ellipsis", "invisible":
		return false
	}
	for _, prefix := range []string{"h-", "p-", "u-", "dt-", "e-"} {
		if strings.HasPrefix(c, prefix) && len(c) > len(prefix) {
			return false
		}
	}
	return true
}
