package text

import (
	"strings"
	"unicode"
)

// scanURL reports the end of the URL starting at byte offset i, or -1 when
// no URL starts there.
func scanURL(s string, i int) int {
	if !urlMayStartAfter(runeBefore(s, i)) {
		return -1
	}
	j := schemeEnd(s, i)
	if j < 0 {
		return -1
	}
	end := hostEnd(s, j)
	if end < 0 {
		return -1
	}
	end = portEnd(s, end)
	if end < len(s) && s[end] == '/' {
		end = pathEnd(s, end)
	}
	if end < len(s) && s[end] == '?' {
		end = queryEnd(s, end)
	}
	return end
}

func urlMayStartAfter(r rune) bool {
	if r < 0 {
		return true
	}
	return !isASCIIAlnum(r) && !strings.ContainsRune("@$#＠＃", r)
}

func schemeEnd(s string, i int) int {
	for _, scheme := range []string{"http://", "https://"} {
		if hasPrefixFold(s[i:], scheme) {
			return i + len(scheme)
		}
	}
	return -1
}

// hostEnd scans dot-separated labels; a trailing dot is left out.
func hostEnd(s string, i int) int {
	end := -1
	for {
		j := labelEnd(s, i)
		if j < 0 {
			return end
		}
		end = j
		if j >= len(s) || s[j] != '.' {
			return end
		}
		i = j + 1
	}
}

// labelEnd scans one host label: it starts and ends with a letter, digit or
// mark and may hold "-" and "_" inside.
func labelEnd(s string, i int) int {
	last := -1
	for {
		r, n := runeAt(s, i)
		switch {
		case r >= 0 && isDomainChar(r):
			i += n
			last = i
		case (r == '-' || r == '_') && last >= 0:
			i += n
		default:
			return last
		}
	}
}

func isDomainChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func portEnd(s string, i int) int {
	if i >= len(s) || s[i] != ':' {
		return i
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i+1 {
		return i
	}
	return j
}

// pathEnd scans a path starting at the "/" at i. Parentheses count only in
// balanced groups, nested at most once, and the path ends on the last
// character allowed to end it.
func pathEnd(s string, i int) int {
	end, depth := i+1, 0
	for j := i + 1; ; {
		r, n := runeAt(s, j)
		switch {
		case r == '(' && depth < 2:
			depth++
		case r == ')' && depth > 0:
			depth--
		case r < 0 || !isPathChar(r):
			return end
		}
		j += n
		if depth == 0 && (r == ')' || isPathEnding(r)) {
			end = j
		}
	}
}

func isPathChar(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && !strings.ContainsRune("<>()?", r)
}

func isPathEnding(r rune) bool {
	return isPathChar(r) && !strings.ContainsRune("!*\"'「」;:=,.$%[]~&|@", r)
}

// queryEnd scans a query starting at the "?" at i; without a character
// allowed to end it there is no query and i is returned.
func queryEnd(s string, i int) int {
	end := i
	for j := i + 1; ; {
		r, n := runeAt(s, j)
		if r < 0 || !isQueryChar(r) {
			return end
		}
		j += n
		if isQueryEnding(r) {
			end = j
		}
	}
}

func isQueryChar(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune("!?*'();:&=+$/%#[]-_.,~|@^", r) || isURLUnicode(r)
}

func isQueryEnding(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune("_&=#/-", r) || isURLUnicode(r)
}

// isURLUnicode approximates RFC 3987's ucschar: non-ASCII, but no spaces,
// controls or noncharacters.
func isURLUnicode(r rune) bool {
	return r >= 0xa0 && !unicode.IsSpace(r) && !unicode.IsControl(r) &&
		!unicode.Is(unicode.Noncharacter_Code_Point, r) && r != 0xfeff
}
