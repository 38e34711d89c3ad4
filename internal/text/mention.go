package text

import (
	"strings"
	"unicode"
)

// maxDomainLen is the longest DNS name; longer "domains" make no mention.
const maxDomainLen = 253

// Mention is an account named in a text as @Username or @Username@Domain.
type Mention struct {
	Username string // as written
	// Domain is as written. In a Result it is empty for local accounts:
	// those written without a domain or with Options.LocalDomain.
	Domain string
	URL    string // profile URL from Options.ResolveMention; empty from ParseMentions
}

// ParseMentions returns the mentions in src in order of appearance, each
// account once (compared without regard to case), with Domain as written
// and no URL. Mentions inside URLs are not counted.
func ParseMentions(src string) []Mention {
	var out []Mention
	seen := map[string]bool{}
	for _, e := range extract(src, true) {
		if e.kind != kindMention {
			continue
		}
		key := mentionKey(e.user, e.domain)
		if !seen[key] {
			seen[key] = true
			out = append(out, Mention{Username: e.user, Domain: e.domain})
		}
	}
	return out
}

func mentionKey(user, domain string) string {
	return strings.ToLower(user) + "@" + strings.ToLower(domain)
}

// scanMention reads the mention whose "@" is at byte offset i. ok is false
// when none starts there.
func scanMention(s string, i int) (user, domain string, end int, ok bool) {
	if !mentionMayStartAfter(runeBefore(s, i)) {
		return "", "", 0, false
	}
	userEnd := usernameEnd(s, i+1)
	if userEnd < 0 {
		return "", "", 0, false
	}
	end = userEnd
	if end < len(s) && s[end] == '@' {
		if d := domainEnd(s, end+1); d > 0 {
			domain, end = s[end+1:d], d
		}
	}
	if len(domain) > maxDomainLen || !mentionMayEndBefore(s[end:]) {
		return "", "", 0, false
	}
	return s[i+1 : userEnd], domain, end, true
}

func mentionMayStartAfter(r rune) bool {
	return r < 0 || r != '=' && r != '/' && !isWord(r)
}

func mentionMayEndBefore(rest string) bool {
	r, _ := runeAt(rest, 0)
	return r != '@' && r != '＠' && !unicode.Is(latinAccents, r) && !strings.HasPrefix(rest, "://")
}

// usernameEnd scans [A-Za-z0-9_]+ with runs of "." or "-" only between
// such characters.
func usernameEnd(s string, i int) int {
	return separatedRunEnd(s, i, func(r rune) bool { return isASCIIAlnum(r) || r == '_' })
}

// domainEnd scans word characters with runs of "." or "-" between them,
// then an optional :port.
func domainEnd(s string, i int) int {
	end := separatedRunEnd(s, i, isWord)
	if end < 0 {
		return end
	}
	p := portEnd(s, end)
	if r, _ := runeAt(s, p); p > end && r >= 0 && isWord(r) {
		return end // "host:80abc" is no port
	}
	return p
}

// separatedRunEnd scans runes for which ok holds, allowing runs of "." and
// "-" only when ok runes follow them. It returns -1 for an empty run.
func separatedRunEnd(s string, i int, ok func(rune) bool) int {
	end := -1
	for j := i; ; {
		r, n := runeAt(s, j)
		switch {
		case r >= 0 && ok(r):
			j += n
			end = j
		case (r == '.' || r == '-') && end >= 0:
			j += n
		default:
			return end
		}
	}
}
