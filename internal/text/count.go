package text

import (
	"strings"

	"github.com/rivo/uniseg"
)

// urlWeight is what every URL counts for, however long it is.
const urlWeight = 23

// Count returns the length of a status text as Mastodon's
// StatusLengthValidator measures it: each URL counts as 23 characters,
// @user@domain counts as @user, and characters are extended grapheme
// clusters (Ruby's each_grapheme_cluster), so an emoji, a flag or a family
// emoji joined by ZWJ counts 1 and CRLF counts 1. Hashtags count as typed.
func Count(src string) int {
	return Length(countable(src))
}

// CountStatus returns the length Mastodon checks against the instance's
// limit: the content warning, counted as typed, plus the counted text.
func CountStatus(text, spoiler string) int {
	return Length(spoiler + countable(text))
}

// Length counts the extended grapheme clusters of s, the measure Mastodon
// uses for every length limit (display names, field names, bios).
func Length(s string) int {
	return uniseg.GraphemeClusterCount(s)
}

// countable rewrites src the way Mastodon does before counting it.
func countable(src string) string {
	var b strings.Builder
	last := 0
	for _, e := range extract(src, false) {
		b.WriteString(src[last:e.start])
		if e.kind == kindURL {
			b.WriteString(strings.Repeat("x", urlWeight))
		} else {
			b.WriteString("@" + e.user)
		}
		last = e.end
	}
	b.WriteString(src[last:])
	return b.String()
}
