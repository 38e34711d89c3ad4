package mastoapi

import (
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// A remote account's bio and profile field values are HTML, sanitized by
// core when the actor was fetched; a local account's are the text its
// owner typed, rendered here.

// accountNoteHTML is an account's bio as HTML.
func (s *Server) accountNoteHTML(a *model.Account) string {
	if !a.Local() {
		return a.Note
	}
	return s.noteHTML(a.Note)
}

// accountFieldHTML is a profile field value of a as HTML.
func accountFieldHTML(a *model.Account, value string) string {
	if !a.Local() {
		return value
	}
	return text.FieldHTML(value)
}
