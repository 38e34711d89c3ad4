package ap

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// roomy limits for re-reading our own output: encoding may add a level of
// nesting (a bare "to" string becomes an array) and a @context.
var roomy = Limits{MaxBytes: 1 << 26, MaxDepth: 1 << 10, MaxArray: 1 << 20, MaxMembers: 1 << 20, MaxString: 1 << 26}

func addGoldenSeeds(f *testing.F) {
	for _, dir := range []string{"incoming", "outgoing"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzDecode checks that Decode never panics, fails only with its own
// error kinds, and that anything it accepts survives encode and decode
// unchanged.
func FuzzDecode(f *testing.F) {
	addGoldenSeeds(f)
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"type":"Note"}`, `{"type":["Note","Create"],"to":"as:Public"}`,
		`{"type":"Create","object":{"type":"Note","tag":{"type":"Mention"}}}`,
		`{"type":"Note","published":"9999-12-31T23:59:59-23:59"}`,
		`{"type":"Question","oneOf":[{"name":"a","replies":{"totalItems":-1}}]}`,
		`{"type":"Note","attachment":{"focalPoint":[1e308,-0]}}`,
		`{"type":"Person","publicKey":[{"id":1},{"publicKeyPem":"x"}],"endpoints":"x"}`,
		`{"type":"Note","a":{"b":{"c":{"d":{"e":{"f":{}}}}}}}`,
		"{\"type\":\"Note\",\"content\":\"\xff\xfe\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupportedType) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			if len(data) > DefaultLimits.MaxBytes && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("oversized input not reported as too large: %v", err)
			}
			return
		}
		out, err := Marshal(o)
		if err != nil {
			t.Fatalf("Marshal of a decoded value: %v", err)
		}
		again, err := roomy.Decode(out)
		if err != nil {
			t.Fatalf("Decode of our own output: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(o, again) {
			t.Fatalf("round trip changed the value\nfirst:  %#v\nsecond: %#v\n%s", o, again, out)
		}
	})
}

// FuzzSanitize checks that whatever goes in, only allowed elements,
// attributes, classes and link schemes come out.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		`<p>Hi <a href="https://x.example/@a" class="u-url mention">@a</a></p>`,
		`<script>alert(1)</script><img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a><h2>t</h2>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<span class="h-card invisible x"><a href="gemini://g">g</a></span>`,
		`<ol start="2" reversed><li value="3">a</li></ol>`,
		`</a></a><a href="https://a"><a href="ftp://b">nested</a></a>`,
		`<p title="</p><script>x</script>">`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		out := SanitizeHTML(in)
		if msg := unsafeMarkup(out); msg != "" {
			t.Fatalf("SanitizeHTML(%q) = %q: %s", in, out, msg)
		}
	})
}

var allowedAttrs = map[string][]string{
	"a": {"href", "rel", "target", "class"}, "span": {"class"},
	"ol": {"start", "reversed"}, "li": {"value"},
	"p": nil, "br": nil, "del": nil, "s": nil, "pre": nil, "blockquote": nil, "code": nil,
	"b": nil, "strong": nil, "u": nil, "i": nil, "em": nil, "ul": nil,
	"ruby": nil, "rt": nil, "rp": nil,
}

// unsafeMarkup tokenizes sanitized output and reports the first thing in
// it that the policy should not have let through, or "".
func unsafeMarkup(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.CommentToken, html.DoctypeToken:
			return "comment or doctype"
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attrs, ok := allowedAttrs[tok.Data]
			if !ok {
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				if !slices.Contains(attrs, a.Key) {
					return "attribute " + a.Key + " on " + tok.Data
				}
				if msg := badAttrValue(a); msg != "" {
					return msg
				}
			}
		}
	}
}

func badAttrValue(a html.Attribute) string {
	switch a.Key {
	case "href":
		u, err := url.Parse(a.Val)
		if err != nil || !slices.Contains(linkSchemes, strings.ToLower(u.Scheme)) {
			return "href " + a.Val
		}
	case "class":
		if slices.ContainsFunc(strings.Fields(a.Val), notAllowedClass) {
			return "class " + a.Val
		}
	case "target":
		if a.Val != "_blank" {
			return "target " + a.Val
		}
	case "rel":
		if a.Val != "nofollow" && a.Val != "nofollow noopener" {
			return "rel " + a.Val
		}
	}
	return ""
}

func TestUnsafeMarkupDetector(t *testing.T) {
	// The fuzz oracle must itself catch what it is meant to catch.
	for _, s := range []string{`<img src=x>`, `<a href="javascript:x">`, `<span class="evil">`, `<p onclick="x">`, `<!-- x -->`, `<a target="_top">`} {
		if unsafeMarkup(s) == "" {
			t.Errorf("detector let %q through", s)
		}
	}
	if msg := unsafeMarkup(SanitizeHTML(`<p><a href="https://a.example" class="mention">x</a></p>`)); msg != "" {
		t.Errorf("detector flagged clean output: %s", msg)
	}
}
