package webpages

import (
	"html/template"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// What the templates are given. HTML fields hold markup that was made safe
// before it got here: local text rendered by package text (which escapes
// everything it does not link), remote text sanitized when it arrived.

// author is the account a post or profile names.
type author struct {
	Name   string // display name, or the username when there is none
	Handle string // @user@domain
	// Link is the profile: a path here for a local account, the remote
	// server's page for a remote one (External set).
	Link     string
	External bool
}

// field is one profile metadata pair.
type field struct {
	Name     string
	Value    template.HTML
	Verified bool
}

// profile is the account at the top of a profile page.
type profile struct {
	author
	Note      template.HTML
	Fields    []field
	Posts     int
	Followers int
	Following int
	Joined    time.Time
	Bot       bool
	Locked    bool
}

// post is one status as a signed-out reader sees it.
type post struct {
	ID        string
	Link      string // the post's page
	External  bool   // Link is on another server
	Author    author
	BoostedBy *author // set when the post is shown because of a boost
	Content   template.HTML
	Spoiler   string
	Sensitive bool
	Language  string
	Unlisted  bool
	Reply     bool
	Created   time.Time
	Edited    *time.Time
	Replies   int
	Boosts    int
	Favs      int
	// Focus marks the post a thread page is about.
	Focus bool
}

// authorOf describes a. Local accounts link to their page here; remote
// ones to their own server's page.
func (s *Server) authorOf(a *model.Account) author {
	out := author{Name: a.DisplayName, Handle: "@" + a.Username + "@" + s.svc.Settings().Domain}
	if out.Name == "" {
		out.Name = a.Username
	}
	if a.Local() {
		out.Link = "/@" + a.Username
		return out
	}
	out.Handle = "@" + a.Acct()
	out.Link, out.External = a.URL, true
	if out.Link == "" {
		out.Link = a.URI
	}
	return out
}

// profileOf describes local account a for its profile page.
func (s *Server) profileOf(a *model.Account) profile {
	set := s.svc.Settings()
	p := profile{
		author: s.authorOf(a),
		Note:   template.HTML(text.NoteHTML(a.Note, text.Options{BaseURL: set.BaseURL, LocalDomain: set.Domain})),
		Posts:  a.StatusesCount, Followers: a.FollowersCount, Following: a.FollowingCount,
		Joined: a.CreatedAt, Bot: a.Bot, Locked: a.Locked,
	}
	for _, f := range a.Fields {
		p.Fields = append(p.Fields, field{Name: f.Name, Value: template.HTML(text.FieldHTML(f.Value)), Verified: f.VerifiedAt != nil})
	}
	return p
}

// postOf describes v. A boost shows the boosted status, with who boosted
// it.
func (s *Server) postOf(v *core.StatusView) post {
	if v.Reblog != nil {
		p := s.postOf(v.Reblog)
		by := s.authorOf(v.Account)
		p.BoostedBy = &by
		return p
	}
	st := v.Status
	p := post{
		ID: model.FormatID(st.ID), Author: s.authorOf(v.Account),
		Content: template.HTML(st.Content), Spoiler: st.SpoilerText, Sensitive: st.Sensitive,
		Language: st.Language, Unlisted: st.Visibility == model.VisibilityUnlisted,
		Reply: st.InReplyToID != 0, Created: st.CreatedAt, Edited: st.EditedAt,
		Replies: st.RepliesCount, Boosts: st.ReblogsCount, Favs: st.FavouritesCount,
	}
	if st.Local {
		p.Link = "/@" + v.Account.Username + "/" + p.ID
	} else {
		p.Link, p.External = st.URL, true
		if p.Link == "" {
			p.Link = st.URI
		}
	}
	return p
}

// posts describes vs.
func (s *Server) posts(vs []*core.StatusView) []post {
	out := make([]post, 0, len(vs))
	for _, v := range vs {
		out = append(out, s.postOf(v))
	}
	return out
}

// indexable reports whether search engines may index a's pages: only
// when it is discoverable and has not asked for noindex, the rule behind
// the API's "indexable".
func indexable(a *model.Account) bool { return a.Discoverable && !a.NoIndex }
