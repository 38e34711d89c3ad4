package text

import (
	"strings"
	"unicode/utf8"
)

// ParseTags returns the hashtags in src without their "#", lower-cased,
// each once, in order of appearance. Hashtags inside URLs are not counted.
func ParseTags(src string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range extract(src, true) {
		if e.kind != kindTag {
			continue
		}
		name := strings.ToLower(e.name)
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// scanTag reads the hashtag whose "#" (one byte) or "＃" starts at byte
// offset i and returns its name and end, or ok false.
func scanTag(s string, i int) (name string, end int, ok bool) {
	if !tagMayStartAfter(runeBefore(s, i)) {
		return "", 0, false
	}
	_, n := runeAt(s, i)
	end = tagNameEnd(s, i+n)
	if end < 0 || !validTagName(s[i+n:end]) {
		return "", 0, false
	}
	return s[i+n : end], end, true
}

func tagMayStartAfter(r rune) bool {
	return r < 0 || r != '/' && r != ')' && !isWord(r)
}

func isTagSeparator(r rune) bool {
	return r == '_' || r == '·' || r == '・' || r == '\u200c'
}

// tagNameEnd scans word characters and separators, starting with a word
// character and leaving trailing separators out (other than "_", which is a
// word character too).
func tagNameEnd(s string, i int) int {
	end := -1
	for j := i; ; {
		r, n := runeAt(s, j)
		switch {
		case r >= 0 && isWord(r):
			j += n
			end = j
		case isTagSeparator(r) && end >= 0:
			j += n
		default:
			return end
		}
	}
}

// validTagName holds for names with a letter, or with a separator strictly
// inside: Mastodon's rule that keeps "#123" from being a hashtag.
func validTagName(name string) bool {
	last := utf8.RuneCountInString(name) - 1
	k := 0
	for _, r := range name {
		if isAlpha(r) || k > 0 && k < last && isTagSeparator(r) {
			return true
		}
		k++
	}
	return false
}
