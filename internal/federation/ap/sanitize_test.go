package ap

import (
	"strings"
	"testing"
)

func TestSanitizeKeepsMastodonMarkup(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>Hello<br>world</p>`, `<p>Hello<br>world</p>`},
		{
			`<p><span class="h-card" translate="no"><a href="https://b.example/@bob" class="u-url mention" rel="me">@<span>bob</span></a></span></p>`,
			`<p><span class="h-card"><a href="https://b.example/@bob" class="u-url mention" rel="nofollow noopener" target="_blank">@<span>bob</span></a></span></p>`,
		},
		{
			`<a href="https://a.example/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>`,
			`<a href="https://a.example/tags/x" class="mention hashtag" rel="nofollow noopener" target="_blank">#<span>x</span></a>`,
		},
		{
			`<a href="https://a.example/long"><span class="invisible">https://</span><span class="ellipsis">a.example/lo</span><span class="invisible">ng</span></a>`,
			`<a href="https://a.example/long" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">a.example/lo</span><span class="invisible">ng</span></a>`,
		},
		{`<blockquote><p><em>a</em> <strong>b</strong> <b>c</b> <i>d</i> <u>e</u> <del>f</del> <s>g</s></p></blockquote>`,
			`<blockquote><p><em>a</em> <strong>b</strong> <b>c</b> <i>d</i> <u>e</u> <del>f</del> <s>g</s></p></blockquote>`},
		{`<pre><code>x &lt; y</code></pre>`, `<pre><code>x &lt; y</code></pre>`},
		{`<ol start="3" reversed><li value="5">a</li></ol><ul><li>b</li></ul>`, `<ol start="3" reversed=""><li value="5">a</li></ol><ul><li>b</li></ul>`},
		{`<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>`, `<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>`},
		{`<h1>Big</h1><h6>small</h6>`, `<p><strong>Big</strong></p><p><strong>small</strong></p>`},
		{`<a href="gemini://g.example/">g</a>`, `<a href="gemini://g.example/" rel="nofollow noopener" target="_blank">g</a>`},
		// Opaque URIs open no window, so they get no target or noopener.
		{`<a href="xmpp:bob@b.example">x</a>`, `<a href="xmpp:bob@b.example" rel="nofollow">x</a>`},
		{`<div><p>text in a div</p></div>`, `<p>text in a div</p>`},
		{`<span class="quote-inline"><br>RE: x</span>`, `<span><br>RE: x</span>`},
	}
	for _, tt := range tests {
		if got := SanitizeHTML(tt.in); got != tt.want {
			t.Errorf("SanitizeHTML(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestSanitizeXSS(t *testing.T) {
	payloads := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<svg/onload=alert(1)>`,
		`<a href="javascript:alert(1)">click</a>`,
		`<a href="JaVaScRiPt:alert(1)">click</a>`,
		`<a href="  javascript:alert(1)">click</a>`,
		`<a href="java&#x09;script:alert(1)">click</a>`,
		`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
		`<a href="vbscript:msgbox(1)">x</a>`,
		`<a href="/relative/path">x</a>`,
		`<a href="//evil.example/x">x</a>`,
		`<p onclick="alert(1)" style="background:url(javascript:alert(1))">x</p>`,
		`<span class="x" onmouseover="alert(1)">x</span>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<object data="x.swf"></object><embed src="x.swf">`,
		`<form action="https://evil.example"><input name="p"></form>`,
		`<style>body{display:none}</style>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<a href="https://ok.example" target="_top" rel="opener">x</a>`,
		`<<script>script>alert(1)<</script>/script>`,
		`<p>unterminated <a href="https://x.example" onclick=alert(1)`,
		`<!--<script>alert(1)</script>-->`,
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
		`<base href="https://evil.example/">`,
		`<a href="https://ok.example" class="mention btn-danger u-url">x</a>`,
		`<h1 onclick="alert(1)">x</h1>`,
	}
	for _, p := range payloads {
		assertSafeHTML(t, p, SanitizeHTML(p))
	}
}

// assertSafeHTML fails when out holds anything that could run script or
// reach outside the allow-list.
func assertSafeHTML(t *testing.T, in, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	for _, bad := range []string{
		"<script", "<img", "<svg", "<iframe", "<object", "<embed", "<form", "<input", "<style",
		"<math", "<meta", "<base", "<div", "<h1", "javascript:", "vbscript:", "data:", " on",
		"style=", "target=\"_top\"", "rel=\"opener", "btn-danger", "href=\"/",
	} {
		if strings.Contains(lower, bad) {
			t.Errorf("SanitizeHTML(%q) = %q: contains %q", in, out, bad)
		}
	}
}

func TestSanitizeDropsUnusableLinks(t *testing.T) {
	got := SanitizeHTML(`<a href="javascript:alert(1)" class="mention">@x</a> and <a>bare</a>`)
	if want := `<span class="mention">@x</span> and <span>bare</span>`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
