package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWord is Onigmo's [[:word:]]: letters, marks, decimal digits and
// connector punctuation such as "_".
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) ||
		unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// isAlpha is Onigmo's [[:alpha:]], the Alphabetic property.
func isAlpha(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) ||
		unicode.Is(unicode.Other_Alphabetic, r)
}

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// latinAccents are the letters that, right after a mention, show the
// mention was cut short by the ASCII-only username rule ("@josé").
var latinAccents = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00c0, Hi: 0x00d6, Stride: 1},
		{Lo: 0x00d8, Hi: 0x00f6, Stride: 1},
		{Lo: 0x00f8, Hi: 0x024f, Stride: 1},
		{Lo: 0x0253, Hi: 0x0254, Stride: 1},
		{Lo: 0x0256, Hi: 0x0257, Stride: 1},
		{Lo: 0x0259, Hi: 0x025b, Stride: 2},
		{Lo: 0x0263, Hi: 0x0263, Stride: 1},
		{Lo: 0x0268, Hi: 0x0268, Stride: 1},
		{Lo: 0x026f, Hi: 0x026f, Stride: 1},
		{Lo: 0x0272, Hi: 0x0272, Stride: 1},
		{Lo: 0x0289, Hi: 0x0289, Stride: 1},
		{Lo: 0x028b, Hi: 0x028b, Stride: 1},
		{Lo: 0x02bb, Hi: 0x02bb, Stride: 1},
		{Lo: 0x0300, Hi: 0x036f, Stride: 1},
		{Lo: 0x1e00, Hi: 0x1eff, Stride: 1},
	},
}

// runeBefore returns the rune ending at byte offset i, or -1 at the start.
func runeBefore(s string, i int) rune {
	if i == 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt returns the rune starting at byte offset i and its size, or -1 at
// the end.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
