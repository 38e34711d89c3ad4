package text

import (
	"slices"
	"testing"
)

// urls returns the URLs Render would link in src.
func urls(src string) []string {
	var out []string
	for _, e := range extract(src, true) {
		if e.kind == kindURL {
			out = append(out, src[e.start:e.end])
		}
	}
	return out
}

func TestURLBoundaries(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"end of sentence", "Read https://example.org/path.", []string{"https://example.org/path"}},
		{"host then dot", "Go to https://example.org.", []string{"https://example.org"}},
		{"comma", "https://example.org/a, then", []string{"https://example.org/a"}},
		{"trailing punctuation run", "https://example.org/a!?...", []string{"https://example.org/a"}},
		{"quote after", "it's https://example.org/path'", []string{"https://example.org/path"}},
		{"in parens", "(see https://example.org/a)", []string{"https://example.org/a"}},
		{"balanced parens", "https://en.wikipedia.org/wiki/Go_(language)", []string{"https://en.wikipedia.org/wiki/Go_(language)"}},
		{"balanced parens in parens", "(https://en.wikipedia.org/wiki/Go_(language))", []string{"https://en.wikipedia.org/wiki/Go_(language)"}},
		{"nested parens", "https://example.org/a((b)c)", []string{"https://example.org/a((b)c)"}},
		{"too deep parens", "https://example.org/a(((b)))", []string{"https://example.org/a"}},
		{"unclosed paren", "https://example.org/a(b", []string{"https://example.org/a"}},
		{"query", "https://example.org/s?q=go&lang=en!", []string{"https://example.org/s?q=go&lang=en"}},
		{"query without path", "https://example.org?q=1.", []string{"https://example.org?q=1"}},
		{"empty query", "https://example.org/?", []string{"https://example.org/"}},
		{"fragment", "https://example.org/x#frag", []string{"https://example.org/x#frag"}},
		{"port", "https://example.org:8443/x", []string{"https://example.org:8443/x"}},
		{"colon without port", "https://example.org:/x", []string{"https://example.org"}},
		{"localhost", "http://localhost:8080/@alice", []string{"http://localhost:8080/@alice"}},
		{"upper case", "HTTPS://EXAMPLE.ORG/X", []string{"HTTPS://EXAMPLE.ORG/X"}},
		{"unicode", "https://日本.example/パス。", []string{"https://日本.example/パス。"}},
		{"quoted", `"https://example.org/"`, []string{"https://example.org/"}},
		{"quote inside path", `https://example.org/a"b`, []string{`https://example.org/a"b`}},
		{"angle brackets", "<https://example.org/>", []string{"https://example.org/"}},
		{"newline", "https://example.org/a\nb", []string{"https://example.org/a"}},
		{"ideographic space", "https://example.org/a\u3000b", []string{"https://example.org/a"}},
		{"two", "https://a.example https://b.example", []string{"https://a.example", "https://b.example"}},
		{"after punctuation", "x:https://example.org", []string{"https://example.org"}},
		{"after letter", "xhttps://example.org", nil},
		{"after at", "@https://example.org", nil},
		{"after hash", "#https://example.org", nil},
		{"javascript", "javascript:alert(1)", nil},
		{"javascript in link text", "javascript://example.org/%0Aalert(1)", nil},
		{"other scheme", "ftp://example.org/", nil},
		{"no host", "https://", nil},
		{"bad label", "https://-bad.example/", nil},
		{"no scheme", "example.org/path", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := urls(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("urls(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseMentions(t *testing.T) {
	m := func(user, domain string) Mention { return Mention{Username: user, Domain: domain} }
	tests := []struct {
		name, in string
		want     []Mention
	}{
		{"local", "hi @alice", []Mention{m("alice", "")}},
		{"remote", "hi @bob@remote.example!", []Mention{m("bob", "remote.example")}},
		{"line start", "first\n@alice second", []Mention{m("alice", "")}},
		{"after punctuation", "(@alice) .@bob", []Mention{m("alice", ""), m("bob", "")}},
		{"trailing dot", "thanks @alice.", []Mention{m("alice", "")}},
		{"dots and dashes inside", "@al.ice-b", []Mention{m("al.ice-b", "")}},
		{"underscore", "@_", []Mention{m("_", "")}},
		{"port", "@alice@localhost:8080 hi", []Mention{m("alice", "localhost:8080")}},
		{"not a port", "@alice@host:80abc", []Mention{m("alice", "host")}},
		{"duplicates", "@Alice @alice @alice@Remote.example @alice@remote.example",
			[]Mention{m("Alice", ""), m("alice", "Remote.example")}},
		{"email", "mail email@example.org", nil},
		{"after equals", "x=@alice", nil},
		{"after slash", "/@alice", nil},
		{"trailing at", "@alice@ x", nil},
		{"three parts", "@a@b.example@c", nil},
		{"accent after", "@josé", nil},
		{"scheme after", "@alice://x", nil},
		{"non-ascii username", "@ñu", nil},
		{"inside URL", "https://example.org/@alice", nil},
		{"bare at", "@ @", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseMentions(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("ParseMentions(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTags(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"simple", "#tag", []string{"tag"}},
		{"lower-cased and deduplicated", "#Go #GO #go #rust", []string{"go", "rust"}},
		{"all digits", "#123 #2024", nil},
		{"digits with letter", "#2024election", []string{"2024election"}},
		{"underscore inside digits", "#1_2", []string{"1_2"}},
		{"underscore at edge", "#_1 #1_", nil},
		{"one letter", "#a", []string{"a"}},
		{"trailing punctuation", "#tag.", []string{"tag"}},
		{"trailing underscore kept", "#tag_", []string{"tag_"}},
		{"middle dot inside", "#ta·g #tag· #1·2", []string{"ta·g", "tag", "1·2"}},
		{"unicode", "#café #日本語 #Über", []string{"café", "日本語", "über"}},
		{"combining mark", "#cafe\u0301", []string{"cafe\u0301"}},
		{"fullwidth hash", "＃全角", []string{"全角"}},
		{"line start", "x\n#tag", []string{"tag"}},
		{"in parens", "(#tag)", []string{"tag"}},
		{"after letter", "foo#tag", nil},
		{"after slash", "/#tag", nil},
		{"after paren", ")#tag", nil},
		{"double hash", "##tag", []string{"tag"}},
		{"entity-like", "&#39;", nil},
		{"in URL", "https://example.org/#tag https://example.org/a#b", nil},
		{"bare hash", "# #", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseTags(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("ParseTags(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
