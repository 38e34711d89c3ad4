package mastoapi

import (
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// Account is Mastodon's Account entity.
type Account struct {
	ID             string         `json:"id"`
	Username       string         `json:"username"`
	Acct           string         `json:"acct"`
	URL            string         `json:"url"`
	URI            string         `json:"uri"`
	DisplayName    string         `json:"display_name"`
	Note           string         `json:"note"`
	Avatar         string         `json:"avatar"`
	AvatarStatic   string         `json:"avatar_static"`
	Header         string         `json:"header"`
	HeaderStatic   string         `json:"header_static"`
	Locked         bool           `json:"locked"`
	Fields         []AccountField `json:"fields"`
	Emojis         []CustomEmoji  `json:"emojis"`
	Bot            bool           `json:"bot"`
	Group          bool           `json:"group"`
	Discoverable   *bool          `json:"discoverable"`
	Indexable      bool           `json:"indexable"`
	Noindex        *bool          `json:"noindex,omitempty"`
	HideCollection bool           `json:"hide_collections"`
	Suspended      bool           `json:"suspended,omitempty"`
	CreatedAt      string         `json:"created_at"`
	LastStatusAt   *string        `json:"last_status_at"`
	StatusesCount  int            `json:"statuses_count"`
	FollowersCount int            `json:"followers_count"`
	FollowingCount int            `json:"following_count"`
	Source         *AccountSource `json:"source,omitempty"`
	Role           *Role          `json:"role,omitempty"`
	// Moved is the account this one moved to; absent when it has not.
	Moved *Account `json:"moved,omitempty"`
}

// AccountField is a profile metadata pair, rendered.
type AccountField struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// AccountSource is the plain source of a CredentialAccount's profile.
type AccountSource struct {
	Privacy             string         `json:"privacy"`
	Sensitive           bool           `json:"sensitive"`
	Language            *string        `json:"language"`
	Note                string         `json:"note"`
	Fields              []AccountField `json:"fields"`
	FollowRequestsCount int            `json:"follow_requests_count"`
	Indexable           bool           `json:"indexable"`
	Discoverable        *bool          `json:"discoverable"`
	HideCollections     bool           `json:"hide_collections"`
}

// Role is Mastodon's Role entity, shown on a CredentialAccount.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}

// CustomEmoji is Mastodon's CustomEmoji entity (none exist yet).
type CustomEmoji struct {
	Shortcode       string `json:"shortcode"`
	URL             string `json:"url"`
	StaticURL       string `json:"static_url"`
	VisibleInPicker bool   `json:"visible_in_picker"`
	Category        string `json:"category,omitempty"`
}

// mastoTime renders a time the way Mastodon does (ISO 8601, milliseconds, UTC).
func mastoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// mastoDate renders a day the way Mastodon renders created_at for accounts
// (midnight UTC) and last_status_at (a bare date).
func mastoDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// accountURL is the account's profile page and ActivityPub id.
func (s *Server) accountURLs(a *model.Account) (url, uri string) {
	if !a.Local() {
		return a.URL, a.URI
	}
	base := s.svc.Settings().BaseURL
	return base + "/@" + a.Username, base + "/users/" + a.Username
}

// noteHTML renders a bio. Mentions stay plain text for now: resolving them
// would cost a lookup per mention on every account rendered.
func (s *Server) noteHTML(note string) string {
	set := s.svc.Settings()
	return text.NoteHTML(note, text.Options{BaseURL: set.BaseURL, LocalDomain: set.Domain})
}

// renderAccount renders an account for anyone to see.
func (s *Server) renderAccount(a *model.Account) Account {
	url, uri := s.accountURLs(a)
	missing := s.svc.Settings().BaseURL + "/avatars/original/missing.png"
	header := s.svc.Settings().BaseURL + "/headers/original/missing.png"
	disc := a.Discoverable
	out := Account{
		ID: model.FormatID(a.ID), Username: a.Username, Acct: a.Acct(), URL: url, URI: uri,
		DisplayName: a.DisplayName, Note: s.accountNoteHTML(a),
		Avatar: missing, AvatarStatic: missing, Header: header, HeaderStatic: header,
		Locked: a.Locked, Fields: []AccountField{}, Emojis: []CustomEmoji{}, Bot: a.Bot,
		Discoverable: &disc, Indexable: a.Discoverable && !a.NoIndex,
		Suspended:     a.SuspendedAt != nil,
		CreatedAt:     mastoDay(a.CreatedAt) + "T00:00:00.000Z",
		StatusesCount: a.StatusesCount, FollowersCount: a.FollowersCount, FollowingCount: a.FollowingCount,
	}
	if a.Local() {
		ni := a.NoIndex
		out.Noindex = &ni
	}
	for _, f := range a.Fields {
		af := AccountField{Name: f.Name, Value: accountFieldHTML(a, f.Value)}
		if f.VerifiedAt != nil {
			v := mastoTime(*f.VerifiedAt)
			af.VerifiedAt = &v
		}
		out.Fields = append(out.Fields, af)
	}
	if a.LastStatusAt != nil {
		d := mastoDay(*a.LastStatusAt)
		out.LastStatusAt = &d
	}
	if a.MovedToID != 0 {
		out.Moved = s.movedAccount(a)
	}
	return out
}
