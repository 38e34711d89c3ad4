package text

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// knownTag matches, anchored, each tag Render and FieldHTML may emit.
var knownTag = regexp.MustCompile(`^(?:<p>|</p>|<br />|</a>|<span>|</span>` +
	`|<span class="(?:invisible|ellipsis|)">` +
	`|<span class="h-card" translate="no">` +
	`|<a href="[^"<>]*" (?:target="_blank" rel="nofollow noopener noreferrer(?: me)?" translate="no"` +
	`|class="u-url mention"|class="mention hashtag" rel="tag")>)`)

// knownEntity matches, anchored, each character reference escape writes.
var knownEntity = regexp.MustCompile(`^&(?:amp|lt|gt|quot|#39);`)

// checkHTML fails unless out is built only from known tags, properly
// nested, and escaped text. It returns the text with tags removed.
func checkHTML(t *testing.T, out string) string {
	t.Helper()
	var text strings.Builder
	var stack []string
	for i := 0; i < len(out); {
		switch out[i] {
		case '<':
			tag := knownTag.FindString(out[i:])
			if tag == "" {
				t.Fatalf("unknown tag at %d in %q", i, out)
			}
			stack = nest(t, stack, tag, out)
			i += len(tag)
		case '&':
			if knownEntity.FindString(out[i:]) == "" {
				t.Fatalf("bare & at %d in %q", i, out)
			}
			text.WriteByte('&')
			i++
		case '>', '"', '\'':
			t.Fatalf("unescaped %q at %d in %q", out[i], i, out)
		default:
			text.WriteByte(out[i])
			i++
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed %v in %q", stack, out)
	}
	return html.UnescapeString(text.String())
}

func nest(t *testing.T, stack []string, tag, out string) []string {
	t.Helper()
	name := strings.Trim(strings.Fields(tag)[0], "</>")
	switch {
	case name == "br":
		return stack
	case strings.HasPrefix(tag, "</"):
		if len(stack) == 0 || stack[len(stack)-1] != name {
			t.Fatalf("%s closes %v in %q", tag, stack, out)
		}
		return stack[:len(stack)-1]
	case name == "p" && len(stack) != 0, name == "a" && slices.Contains(stack, "a"):
		t.Fatalf("%s nested in %v in %q", tag, stack, out)
	}
	return append(stack, name)
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"", "hello\n\nworld\r\nagain", "<script>alert('x')</script>",
		"see https://example.org/wiki/Go_(language)). @alice #Tag",
		`https://x.example/a"onmouseover="alert(1)`, "@bob@remote.example @alice@localhost:8080",
		"email@example.org #123 #1_2 ＃全角 https://日本.example/パス?q=1&x=2#f",
		"&amp; &#39; &lt;b&gt; javascript:alert(1)", "a\xff\xfe@alice",
	} {
		f.Add(s)
	}
	opt := Options{
		BaseURL: "https://roost.example",
		// Only mentions written without a domain resolve, so every
		// character of the input must survive into the text of the output.
		ResolveMention: func(user, domain string) (string, bool) {
			return "https://roost.example/@" + user, domain == "" && strings.HasPrefix(user, "a")
		},
	}
	f.Fuzz(func(t *testing.T, src string) {
		res := Render(src, opt)
		got := checkHTML(t, res.HTML)
		want := strings.ReplaceAll(normalizeNewlines(strings.ToValidUTF8(src, "\uFFFD")), "\n", "")
		if strings.TrimSpace(want) == "" {
			want = ""
		}
		// A hashtag typed with ＃ is shown with #, as Mastodon does.
		if fold := strings.NewReplacer("＃", "#"); fold.Replace(got) != fold.Replace(want) {
			t.Fatalf("text of Render(%q) = %q, want %q", src, got, want)
		}
		if tags := ParseTags(src); !slices.Equal(res.Tags, tags) {
			t.Fatalf("Render(%q).Tags = %q, ParseTags = %q", src, res.Tags, tags)
		}
		checkHTML(t, FieldHTML(src))
		if n := Count(src); n < 0 || n > Length(src)+23*strings.Count(src, "http") {
			t.Fatalf("Count(%q) = %d out of range", src, n)
		}
	})
}
