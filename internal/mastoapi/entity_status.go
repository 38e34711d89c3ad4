package mastoapi

import (
	"net/url"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string  `json:"id"`
	CreatedAt          string  `json:"created_at"`
	InReplyToID        *string `json:"in_reply_to_id"`
	InReplyToAccountID *string `json:"in_reply_to_account_id"`
	Sensitive          bool    `json:"sensitive"`
	SpoilerText        string  `json:"spoiler_text"`
	Visibility         string  `json:"visibility"`
	Language           *string `json:"language"`
	URI                string  `json:"uri"`
	URL                *string `json:"url"`
	RepliesCount       int     `json:"replies_count"`
	ReblogsCount       int     `json:"reblogs_count"`
	FavouritesCount    int     `json:"favourites_count"`
	EditedAt           *string `json:"edited_at"`
	// Viewer flags: present only for a signed-in viewer; pinned only on
	// the viewer's own pinnable statuses.
	Favourited *bool `json:"favourited,omitempty"`
	Reblogged  *bool `json:"reblogged,omitempty"`
	Muted      *bool `json:"muted,omitempty"`
	Bookmarked *bool `json:"bookmarked,omitempty"`
	Pinned     *bool `json:"pinned,omitempty"`
	// Content is left out, and Text (the source) shown instead, when a
	// status is deleted, as Mastodon does for delete-and-redraft.
	Content          *string         `json:"content,omitempty"`
	Text             *string         `json:"text,omitempty"`
	Reblog           *Status         `json:"reblog"`
	Account          Account         `json:"account"`
	MediaAttachments []any           `json:"media_attachments"`
	Mentions         []StatusMention `json:"mentions"`
	Tags             []StatusTag     `json:"tags"`
	Emojis           []CustomEmoji   `json:"emojis"`
	Card             *struct{}       `json:"card"`
	Poll             *struct{}       `json:"poll"`
	// application is left out: Roost does not record which app posted a
	// status yet (Mastodon leaves it out on others' statuses too).
}

// StatusMention is Mastodon's Status::Mention.
type StatusMention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// StatusTag is Mastodon's Status::Tag.
type StatusTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// StatusEditEntity is Mastodon's StatusEdit entity.
type StatusEditEntity struct {
	Content          string        `json:"content"`
	SpoilerText      string        `json:"spoiler_text"`
	Sensitive        bool          `json:"sensitive"`
	CreatedAt        string        `json:"created_at"`
	Account          Account       `json:"account"`
	MediaAttachments []any         `json:"media_attachments"`
	Emojis           []CustomEmoji `json:"emojis"`
}

// StatusSource is Mastodon's StatusSource entity.
type StatusSource struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// statusURLs are a status's ActivityPub id and web page. A local boost is
// an activity of its own, as in Mastodon.
func (s *Server) statusURLs(st *model.Status, author *model.Account) (uri, page string) {
	if !st.Local {
		page = st.URL
		if page == "" {
			page = st.URI
		}
		return st.URI, page
	}
	base := s.svc.Settings().BaseURL
	id := model.FormatID(st.ID)
	uri = base + "/users/" + author.Username + "/statuses/" + id
	if st.ReblogOfID != 0 {
		uri += "/activity"
		return uri, uri
	}
	return uri, base + "/@" + author.Username + "/" + id
}

// renderStatus renders a status as its viewer sees it.
func (s *Server) renderStatus(v *core.StatusView) Status {
	st := v.Status
	uri, page := s.statusURLs(st, v.Account)
	out := Status{
		ID: model.FormatID(st.ID), CreatedAt: mastoTime(st.CreatedAt),
		Sensitive: st.Sensitive, SpoilerText: st.SpoilerText, Visibility: string(st.Visibility),
		URI: uri, URL: &page,
		RepliesCount: st.RepliesCount, ReblogsCount: st.ReblogsCount, FavouritesCount: st.FavouritesCount,
		Account: s.renderAccount(v.Account), MediaAttachments: []any{},
		Mentions: s.renderMentions(v), Tags: s.renderTags(st.Tags), Emojis: renderEmojis(st.Emojis),
	}
	if st.InReplyToID != 0 {
		out.InReplyToID = optID(st.InReplyToID)
		out.InReplyToAccountID = optID(st.InReplyToAccountID)
	}
	if st.Language != "" {
		out.Language = &st.Language
	}
	if st.EditedAt != nil {
		t := mastoTime(*st.EditedAt)
		out.EditedAt = &t
	}
	s.renderFlags(&out, v)
	if v.Reblog != nil {
		r := s.renderStatus(v.Reblog)
		out.Reblog = &r
	}
	if v.Source {
		out.Text = &st.Text
	} else {
		out.Content = &st.Content
	}
	return out
}

// renderFlags sets the viewer's flags, which Mastodon shows only to a
// signed-in viewer, and pinned only on the viewer's own pinnable statuses.
func (s *Server) renderFlags(out *Status, v *core.StatusView) {
	if v.ViewerID == 0 {
		return
	}
	f := v.Flags
	out.Favourited, out.Reblogged, out.Muted, out.Bookmarked = &f.Favourited, &f.Reblogged, &f.Muted, &f.Bookmarked
	if v.Pinnable() {
		out.Pinned = &f.Pinned
	}
}

func optID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := model.FormatID(id)
	return &s
}

func (s *Server) renderMentions(v *core.StatusView) []StatusMention {
	out := make([]StatusMention, 0, len(v.Mentions))
	for _, a := range v.Mentions {
		page, _ := s.accountURLs(a)
		out = append(out, StatusMention{ID: model.FormatID(a.ID), Username: a.Username, URL: page, Acct: a.Acct()})
	}
	return out
}

func (s *Server) renderTags(tags []string) []StatusTag {
	out := make([]StatusTag, 0, len(tags))
	base := s.svc.Settings().BaseURL
	for _, t := range tags {
		out = append(out, StatusTag{Name: t, URL: base + "/tags/" + url.PathEscape(t)})
	}
	return out
}

// renderStatuses renders a page of statuses, always as a JSON array.
func (s *Server) renderStatuses(vs []*core.StatusView) []Status {
	out := make([]Status, 0, len(vs))
	for _, v := range vs {
		out = append(out, s.renderStatus(v))
	}
	return out
}

// renderEmojis renders a status's custom emoji; the image is the remote
// server's, still and animated alike (Roost keeps no copy).
func renderEmojis(es []model.Emoji) []CustomEmoji {
	out := make([]CustomEmoji, 0, len(es))
	for _, e := range es {
		out = append(out, CustomEmoji{Shortcode: e.Shortcode, URL: e.URL, StaticURL: e.URL})
	}
	return out
}

// renderEdit renders one version of a status.
func (s *Server) renderEdit(e *model.StatusEdit, author *model.Account) StatusEditEntity {
	return StatusEditEntity{
		Content: e.Content, SpoilerText: e.SpoilerText, Sensitive: e.Sensitive,
		CreatedAt: mastoTime(e.CreatedAt), Account: s.renderAccount(author),
		MediaAttachments: []any{}, Emojis: []CustomEmoji{},
	}
}
