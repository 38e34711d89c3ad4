package text

import (
	"slices"
	"strings"
	"testing"
)

const (
	aOpen  = `<a href="`
	aAttrs = `" target="_blank" rel="nofollow noopener noreferrer" translate="no">`
)

// testOptions resolve local alice and bob@remote.example.
func testOptions() Options {
	return Options{
		BaseURL:     "https://roost.example/",
		LocalDomain: "localhost:8080",
		ResolveMention: func(user, domain string) (string, bool) {
			switch {
			case strings.EqualFold(user, "alice") && domain == "":
				return "https://roost.example/@alice", true
			case strings.EqualFold(user, "bob") && domain == "remote.example":
				return "https://remote.example/@bob", true
			}
			return "", false
		},
	}
}

func TestRender(t *testing.T) {
	alice := `<span class="h-card" translate="no"><a href="https://roost.example/@alice" class="u-url mention">@<span>alice</span></a></span>`
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only space", " \n\t\r\n ", ""},
		{"plain", "hello", "<p>hello</p>"},
		{"line break", "a\nb", "<p>a<br />b</p>"},
		{"paragraphs", "a\n\nb", "<p>a</p><p>b</p>"},
		{"many blank lines", "a\n\n\n\nb", "<p>a</p><p>b</p>"},
		{"odd blank lines", "a\n\n\nb", "<p>a</p><p>b</p>"},
		{"CRLF", "a\r\nb\r\n\r\nc", "<p>a<br />b</p><p>c</p>"},
		{"CR", "a\rb", "<p>a<br />b</p>"},
		{"edge newlines", "\n\na\n", "<p>a</p>"},
		{"escaping", `<script>alert("x&y")</script>`, "<p>&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;</p>"},
		{"quote", "it's", "<p>it&#39;s</p>"},
		{"html link attempt", `<a href="javascript:alert(1)">x</a>`,
			"<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>"},
		{"invalid UTF-8", "a\xffb", "<p>a\uFFFDb</p>"},
		{"short URL", "see https://example.org/path.",
			"<p>see " + aOpen + "https://example.org/path" + aAttrs +
				`<span class="invisible">https://</span><span class="">example.org/path</span><span class="invisible"></span></a>.</p>`},
		{"www hidden", "https://www.example.org",
			"<p>" + aOpen + "https://www.example.org" + aAttrs +
				`<span class="invisible">https://www.</span><span class="">example.org</span><span class="invisible"></span></a></p>`},
		{"long URL", "https://example.org/a_very_long_path_that_goes_on?x=1&y=2",
			"<p>" + aOpen + "https://example.org/a_very_long_path_that_goes_on?x=1&amp;y=2" + aAttrs +
				`<span class="invisible">https://</span><span class="ellipsis">example.org/a_very_long_path_t</span>` +
				`<span class="invisible">hat_goes_on?x=1&amp;y=2</span></a></p>`},
		{"exactly 30 shown", "http://123456789012345678901234567890",
			"<p>" + aOpen + "http://123456789012345678901234567890" + aAttrs +
				`<span class="invisible">http://</span><span class="">123456789012345678901234567890</span><span class="invisible"></span></a></p>`},
		{"30 code points, not bytes", "https://é.example/ééééééééééééééééééééééééé",
			"<p>" + aOpen + "https://é.example/ééééééééééééééééééééééééé" + aAttrs +
				`<span class="invisible">https://</span><span class="ellipsis">é.example/éééééééééééééééééééé</span>` +
				`<span class="invisible">ééééé</span></a></p>`},
		{"upper-case scheme shown", "HTTPS://x.example",
			"<p>" + aOpen + "HTTPS://x.example" + aAttrs +
				`<span class="invisible"></span><span class="">HTTPS://x.example</span><span class="invisible"></span></a></p>`},
		{"quote in URL", `https://x.example/a"onmouseover="alert(1)`,
			"<p>" + aOpen + "https://x.example/a&quot;onmouseover=&quot;alert(1)" + aAttrs +
				`<span class="invisible">https://</span><span class="ellipsis">x.example/a&quot;onmouseover=&quot;alert</span>` +
				`<span class="invisible">(1)</span></a></p>`},
		{"tag after URL path", "https://x.example/<script>",
			"<p>" + aOpen + "https://x.example/" + aAttrs +
				`<span class="invisible">https://</span><span class="">x.example/</span><span class="invisible"></span></a>&lt;script&gt;</p>`},
		{"javascript not linked", "javascript:alert(1)", "<p>javascript:alert(1)</p>"},
		{"local mention", "hi @alice!", "<p>hi " + alice + "!</p>"},
		{"mention at line start", "x\n@alice", "<p>x<br />" + alice + "</p>"},
		{"mention after punctuation", "(@alice)", "<p>(" + alice + ")</p>"},
		{"local domain", "@alice@localhost:8080", "<p>" + alice + "</p>"},
		{"local domain any case", "@alice@LOCALHOST:8080", "<p>" + alice + "</p>"},
		{"remote mention", "@bob@remote.example",
			`<p><span class="h-card" translate="no"><a href="https://remote.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>`},
		{"mention as written", "@ALICE",
			`<p><span class="h-card" translate="no"><a href="https://roost.example/@alice" class="u-url mention">@<span>ALICE</span></a></span></p>`},
		{"unknown mention", "@carol @bob@other.example", "<p>@carol @bob@other.example</p>"},
		{"email", "email@example.org", "<p>email@example.org</p>"},
		{"hashtag", "#Go!",
			`<p><a href="https://roost.example/tags/Go" class="mention hashtag" rel="tag">#<span>Go</span></a>!</p>`},
		{"unicode hashtag", "#café",
			`<p><a href="https://roost.example/tags/caf%C3%A9" class="mention hashtag" rel="tag">#<span>café</span></a></p>`},
		{"digits only", "#123", "<p>#123</p>"},
		{"hashtag in URL", "https://x.example/#tag",
			"<p>" + aOpen + "https://x.example/#tag" + aAttrs +
				`<span class="invisible">https://</span><span class="">x.example/#tag</span><span class="invisible"></span></a></p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.in, testOptions()).HTML; got != tt.want {
				t.Errorf("Render(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderEntities(t *testing.T) {
	calls := 0
	opt := testOptions()
	resolve := opt.ResolveMention
	opt.ResolveMention = func(user, domain string) (string, bool) {
		calls++
		return resolve(user, domain)
	}
	res := Render("@alice @Alice @alice@localhost:8080 @carol @carol @bob@remote.example #Go #go #Rust https://x.example/#nope", opt)

	want := []Mention{
		{Username: "alice", URL: "https://roost.example/@alice"},
		{Username: "bob", Domain: "remote.example", URL: "https://remote.example/@bob"},
	}
	if !slices.Equal(res.Mentions, want) {
		t.Errorf("Mentions = %+v, want %+v", res.Mentions, want)
	}
	if want := []string{"go", "rust"}; !slices.Equal(res.Tags, want) {
		t.Errorf("Tags = %q, want %q", res.Tags, want)
	}
	if calls != 3 { // alice, carol, bob@remote.example
		t.Errorf("ResolveMention called %d times, want 3", calls)
	}
}

func TestRenderNilResolver(t *testing.T) {
	res := Render("@alice #tag", Options{BaseURL: "https://r.example"})
	want := `<p>@alice <a href="https://r.example/tags/tag" class="mention hashtag" rel="tag">#<span>tag</span></a></p>`
	if res.HTML != want || len(res.Mentions) != 0 {
		t.Errorf("Render = %s %+v, want %s and no mentions", res.HTML, res.Mentions, want)
	}
}

func TestNoteHTML(t *testing.T) {
	got := NoteHTML("I am @alice's friend.\n#birds", testOptions())
	want := `<p>I am <span class="h-card" translate="no"><a href="https://roost.example/@alice" class="u-url mention">@<span>alice</span></a></span>&#39;s friend.<br />` +
		`<a href="https://roost.example/tags/birds" class="mention hashtag" rel="tag">#<span>birds</span></a></p>`
	if got != want {
		t.Errorf("NoteHTML\n got %s\nwant %s", got, want)
	}
}

func TestFieldHTML(t *testing.T) {
	link := `<a href="https://example.org/me" target="_blank" rel="nofollow noopener noreferrer me" translate="no">` +
		`<span class="invisible">https://</span><span class="">example.org/me</span><span class="invisible"></span></a>`
	tests := []struct{ in, want string }{
		{"", ""},
		{"https://example.org/me", link},
		{"<b>see</b> https://example.org/me.", "&lt;b&gt;see&lt;/b&gt; " + link + "."},
		{"@alice #tag", "@alice #tag"},
		{"a\nb", "a\nb"},
	}
	for _, tt := range tests {
		if got := FieldHTML(tt.in); got != tt.want {
			t.Errorf("FieldHTML(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
