package core

import (
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestInboxCustomEmoji: a Note's Emoji tags become the status's custom
// emoji when its text uses them and they are well formed; a domain blocked
// with reject_media brings none.
func TestInboxCustomEmoji(t *testing.T) {
	e := newInboxEnv(t)
	const tags = `,"summary":"cw :cw_emoji:","tag":[
		{"type":"Emoji","name":":blobcat:","icon":{"type":"Image","url":"https://remote.example/emoji/blobcat.png"}},
		{"type":"Emoji","name":":blobcat:","icon":{"type":"Image","url":"https://remote.example/emoji/other.png"}},
		{"type":"Emoji","name":":cw_emoji:","icon":{"type":"Image","url":"https://remote.example/emoji/cw.png"}},
		{"type":"Emoji","name":":unused:","icon":{"type":"Image","url":"https://remote.example/emoji/unused.png"}},
		{"type":"Emoji","name":":bad-name:","icon":{"type":"Image","url":"https://remote.example/emoji/bad.png"}},
		{"type":"Emoji","name":":js:","icon":{"type":"Image","url":"javascript:alert(1)"}}]`
	body := func(id, text string) string {
		return `{"type":"Create","id":"` + id + `/activity","actor":"` + bobURI + `","to":[` + apPublic + `],
			"object":{"type":"Note","id":"` + id + `","attributedTo":"` + bobURI + `","to":[` + apPublic + `],
			"content":"<p>` + text + `</p>","published":"2025-01-02T03:04:05Z"` + tags + `}}`
	}
	const id = "https://remote.example/notes/emoji"
	e.mustRecv(e.bob, body(id, "hi :blobcat: :bad-name: :js: :blobcat:"))
	st, err := e.s.store.StatusByURI(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Emoji{{Shortcode: "blobcat", URL: "https://remote.example/emoji/blobcat.png"},
		{Shortcode: "cw_emoji", URL: "https://remote.example/emoji/cw.png"}}
	if !slices.Equal(st.Emojis, want) {
		t.Errorf("emojis %+v, want %+v", st.Emojis, want)
	}

	// reject_media on the domain: no emoji on what arrives after.
	e.instanceBlock(store.DomainBlock{Domain: "remote.example", Severity: store.SeverityNoop, RejectMedia: true})
	const id2 = "https://remote.example/notes/emoji2"
	e.mustRecv(e.bob, body(id2, "hi :blobcat:"))
	st, err = e.s.store.StatusByURI(e.ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Emojis) != 0 {
		t.Errorf("emojis from a reject_media domain: %+v", st.Emojis)
	}
}
