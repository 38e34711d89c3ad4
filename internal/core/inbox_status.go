package core

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Remote posts: Create, Update and Delete of notes, Likes and Announces.
// A remote status is stored like a local one, sealed under its author's
// key, with its ActivityPub id as URI; its HTML is sanitized once, here,
// and kept in Content (Text stays empty: there is no source to edit).

// Bounds on what is kept of a remote post.
const (
	maxRemoteSpoiler  = 1000
	maxRemoteMentions = 50
	maxRemoteTags     = 20
	maxRemoteTagLen   = 100
	maxRemoteLinks    = 16
)

// create stores the actor's new post, and tells those it mentions.
func (in *inbound) create(ctx context.Context) error {
	obj, err := in.object(ctx, in.act)
	if err != nil {
		return ignoreNotFound(err)
	}
	if !obj.IsPost() {
		return nil // a Create of something Roost does not show
	}
	if obj.AttributedToIRI() != in.actor.URI {
		return fmt.Errorf("core: create: %w", model.Invalid("object is attributed to another actor"))
	}
	_, err = in.storeNote(ctx, obj, in.actor, in.act)
	return err
}

// storeNote stores obj, a post by author, unless it is stored already;
// addressing falls back to act's when obj has none (act may be nil).
func (in *inbound) storeNote(ctx context.Context, obj *ap.Object, author *model.Account, act *ap.Object) (*model.Status, error) {
	s := in.s
	if !sameHost(obj.ID, author.URI) {
		return nil, fmt.Errorf("core: note: %w", errForeignObject)
	}
	if st, err := s.store.StatusByURI(ctx, obj.ID); err == nil {
		return st, nil // a duplicate delivery
	} else if !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: status by uri: %w", err)
	}
	now := s.now()
	st := &model.Status{AccountID: author.ID, URI: obj.ID, Local: false, CreatedAt: now}
	if p := obj.Published; !p.IsZero() && p.Before(now) {
		st.CreatedAt = p
	}
	st.ID = remoteStatusID(st.CreatedAt, now)
	addr := obj
	if act != nil && len(obj.To)+len(obj.CC) == 0 {
		addr = act
	}
	st.Visibility = ap.VisibilityOf(addr, s.followersOf(ctx, author.ID))
	if err := s.noteFields(ctx, st, obj); err != nil {
		return nil, err
	}
	st.ConversationID = st.ID
	if obj.InReplyTo != "" {
		if parent, err := in.resolveStatus(ctx, obj.InReplyTo); err == nil {
			st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
			if parent.ConversationID != 0 {
				st.ConversationID = parent.ConversationID
			}
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// An unreachable or unusable parent leaves the reply without its
		// link, as Mastodon stores it.
	}
	err := s.createRemoteStatus(ctx, st, now)
	if errors.Is(err, model.ErrConflict) { // stored meanwhile by another delivery
		return s.store.StatusByURI(ctx, obj.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("core: store remote status: %w", err)
	}
	if err := s.notifyPosted(ctx, st, nil); err != nil {
		return nil, err
	}
	return st, nil
}

// remoteStatusID is the ID of a remote status published at published and
// received at now: from its publication, so that timelines sort remote
// posts by when they were written, as Mastodon does, unless it claims a
// time before 2000 or within the last second (a fresh ID then, which
// keeps live posts in arrival order).
func remoteStatusID(published, now time.Time) int64 {
	if published.Before(earliestPublished) || now.Sub(published) < time.Second {
		return model.NewID(now)
	}
	return model.PastID(published)
}

// earliestPublished is the oldest publication time a remote status's ID
// follows; anything claiming to be older gets the time it arrived.
var earliestPublished = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// createRemoteStatus stores st, whose ID came from remoteStatusID. A
// conflict may be the status stored meanwhile (by its URI: the caller's
// ErrConflict) or, rarely, another status holding the drawn ID: then it is
// stored once more under a fresh ID.
func (s *Service) createRemoteStatus(ctx context.Context, st *model.Status, now time.Time) error {
	err := s.store.CreateStatus(ctx, st)
	if !errors.Is(err, model.ErrConflict) {
		return err
	}
	if _, uerr := s.store.StatusByURI(ctx, st.URI); !errors.Is(uerr, model.ErrNotFound) {
		return err
	}
	if st.ConversationID == st.ID {
		st.ConversationID = 0
	}
	st.ID = model.NewID(now)
	if st.ConversationID == 0 {
		st.ConversationID = st.ID
	}
	return s.store.CreateStatus(ctx, st)
}

// followersOf is a remote account's followers collection, "" if unknown.
func (s *Service) followersOf(ctx context.Context, accountID int64) string {
	ra, err := s.store.RemoteActor(ctx, accountID)
	if err != nil {
		return ""
	}
	return ra.Followers
}

// noteFields maps obj's content onto st: sanitized HTML (with an Article's
// title, a Question's options and the attachments as links), content
// warning, sensitivity, language, URL, mentions and hashtags. Attachments
// from a domain blocked with reject_media are left out.
func (s *Service) noteFields(ctx context.Context, st *model.Status, obj *ap.Object) error {
	obj, err := s.withoutRejectedMedia(ctx, obj)
	if err != nil {
		return err
	}
	st.URL = obj.ID
	if h := obj.HTMLURL(); isHTTPURL(h) {
		st.URL = h
	}
	st.Content = ap.SanitizeHTML(noteHTML(obj))
	st.SpoilerText = plainText(obj.Summary, maxRemoteSpoiler)
	st.Sensitive = obj.Sensitive || st.SpoilerText != ""
	st.Language = language(obj.Language())
	st.Mentions, st.Tags = nil, nil
	for _, href := range obj.Mentions() {
		if len(st.Mentions) == maxRemoteMentions {
			break
		}
		a, err := s.mentionedAccount(ctx, href)
		if err != nil {
			if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrShredded) {
				continue
			}
			return err
		}
		if !mentions(st, a.ID) {
			st.Mentions = append(st.Mentions, model.Mention{AccountID: a.ID, Username: a.Username, Acct: a.Acct()})
		}
	}
	for _, t := range obj.Tag {
		if name := hashtag(t); name != "" && len(st.Tags) < maxRemoteTags {
			st.Tags = append(st.Tags, name)
		}
	}
	st.Emojis = customEmojis(obj, st.Content+" "+st.SpoilerText)
	return nil
}

// customEmojis returns the Emoji tags of obj whose ":shortcode:" text
// uses, with a valid shortcode and an http(s) image, each once, at most
// maxRemoteTags of them. A domain blocked with reject_media has none
// (withoutRejectedMedia drops them).
func customEmojis(obj *ap.Object, text string) []model.Emoji {
	var out []model.Emoji
	seen := map[string]bool{}
	for _, t := range obj.Tag {
		if t.Type != ap.TypeEmoji || t.Icon == nil || !isHTTPURL(t.Icon.URL) || len(out) == maxRemoteTags {
			continue
		}
		code := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(t.Name), ":"), ":")
		if !validShortcode(code) || seen[code] || !strings.Contains(text, ":"+code+":") {
			continue
		}
		seen[code] = true
		out = append(out, model.Emoji{Shortcode: code, URL: t.Icon.URL})
	}
	return out
}

// validShortcode reports whether code is a custom emoji shortcode as
// Mastodon accepts them: 2 to 100 letters, digits and underscores.
func validShortcode(code string) bool {
	if len(code) < 2 || len(code) > maxRemoteTagLen {
		return false
	}
	for _, r := range code {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// mentionedAccount is the account a Mention's href names: a local one, or
// a remote one already known (mentions fetch nothing).
func (s *Service) mentionedAccount(ctx context.Context, href string) (*model.Account, error) {
	u, err := s.remoteURL(href)
	if err != nil {
		return nil, model.ErrNotFound
	}
	if s.isLocalHost(u.Host) {
		return s.localActorByURL(ctx, u)
	}
	return s.store.AccountByURI(ctx, href)
}

// hashtag returns a Hashtag tag's name, lower case without '#', or "".
func hashtag(t ap.Tag) string {
	if t.Type != ap.TypeHashtag {
		return ""
	}
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t.Name), "#"))
	if name == "" || len(name) > maxRemoteTagLen {
		return ""
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return ""
		}
	}
	return name
}

// noteHTML is the HTML shown for obj, before sanitizing.
func noteHTML(obj *ap.Object) string {
	var b strings.Builder
	if obj.Type == ap.TypeArticle || obj.Type == ap.TypePage {
		if obj.Name != "" {
			b.WriteString("<p><strong>" + html.EscapeString(obj.Name) + "</strong></p>")
		}
	}
	body := obj.Content
	if body == "" {
		if l := obj.Language(); l != "" {
			body = obj.ContentMap[l]
		}
	}
	b.WriteString(body)
	if opts := append(append([]*ap.Object{}, obj.OneOf...), obj.AnyOf...); len(opts) > 0 {
		b.WriteString("<ul>")
		for _, o := range opts {
			b.WriteString("<li>" + html.EscapeString(o.Name) + "</li>")
		}
		b.WriteString("</ul>")
	}
	n := 0
	for _, a := range obj.Attachment {
		if n == maxRemoteLinks || !isHTTPURL(a.URL) {
			continue
		}
		n++
		label := a.Name
		if label == "" {
			label = a.URL
		}
		b.WriteString(`<p><a href="` + html.EscapeString(a.URL) + `">` + html.EscapeString(label) + "</a></p>")
	}
	return b.String()
}

// resolveStatus returns the status iri names: local, known, or fetched
// from its origin and stored while the fetch budget lasts.
func (in *inbound) resolveStatus(ctx context.Context, iri string) (*model.Status, error) {
	s := in.s
	st, err := s.knownStatus(ctx, iri)
	if err == nil || !errors.Is(err, model.ErrNotFound) {
		return st, err
	}
	u, uerr := s.remoteURL(iri)
	if in.depth <= 0 || s.fetch == nil || uerr != nil || s.isLocalHost(u.Host) {
		return nil, err
	}
	in.depth--
	obj, err := s.fetchObject(ctx, iri)
	if err != nil {
		return nil, err
	}
	if !obj.IsPost() || !sameHost(obj.AttributedToIRI(), iri) {
		return nil, fmt.Errorf("core: fetched status: %w", model.ErrNotFound)
	}
	author, err := s.ResolveActor(ctx, obj.AttributedToIRI())
	if err != nil {
		return nil, unreachable(err)
	}
	if author.Local() || author.SuspendedAt != nil {
		return nil, fmt.Errorf("core: fetched status author: %w", model.ErrNotFound)
	}
	return in.storeNote(ctx, obj, author, nil)
}

// update applies an Update of the actor's post (an edit, kept in its
// history) or of the actor itself (its document is fetched again).
func (in *inbound) update(ctx context.Context) error {
	s := in.s
	obj, err := in.object(ctx, in.act)
	if err != nil {
		return ignoreNotFound(err)
	}
	switch {
	case obj.IsActor():
		if obj.ID != in.actor.URI {
			return fmt.Errorf("core: update of another actor: %w", model.ErrForbidden)
		}
		if s.fetch != nil {
			_, _, err = s.fetchActor(ctx, in.actor.URI)
			err = unreachable(err)
		} else {
			_, _, err = s.storeActor(ctx, obj, &Fetched{URL: obj.ID})
		}
		return ignoreNotFound(err)
	case obj.IsPost():
		return in.editNote(ctx, obj)
	}
	return nil
}

// editNote applies a new version of one of the actor's posts.
func (in *inbound) editNote(ctx context.Context, obj *ap.Object) error {
	s := in.s
	st, err := s.store.StatusByURI(ctx, obj.ID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if st.AccountID != in.actor.ID || st.ReblogOfID != 0 {
		return fmt.Errorf("core: edit of another's status: %w", model.ErrForbidden)
	}
	now := s.now()
	prev := &model.StatusEdit{
		ID: model.NewID(now), StatusID: st.ID, AccountID: st.AccountID, Text: st.Text,
		Content: st.Content, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt,
	}
	if st.EditedAt != nil {
		prev.CreatedAt = *st.EditedAt
	}
	oldMentions := st.Mentions
	if err := s.noteFields(ctx, st, obj); err != nil {
		return err
	}
	edited := now
	if u := obj.Updated; !u.IsZero() && u.Before(now) && u.After(prev.CreatedAt) {
		edited = u
	}
	st.EditedAt = &edited
	if err := s.store.EditStatus(ctx, st, prev); err != nil {
		return ignoreNotFound(fmt.Errorf("core: edit remote status: %w", err))
	}
	if err := s.notifyPosted(ctx, st, oldMentions); err != nil {
		return err
	}
	return s.notifyEdited(ctx, st)
}

// delete applies the Delete of one of the actor's posts, or of the actor
// itself, which purges the account.
func (in *inbound) delete(ctx context.Context) error {
	s := in.s
	iri := in.act.ObjectIRI()
	if iri == "" {
		return model.Invalid("delete has no object")
	}
	if iri == in.actor.URI {
		return s.purgeRemoteAccount(ctx, in.actor.ID)
	}
	st, err := s.store.StatusByURI(ctx, iri)
	if err != nil {
		return ignoreNotFound(err)
	}
	if st.AccountID != in.actor.ID {
		return fmt.Errorf("core: delete of another's status: %w", model.ErrForbidden)
	}
	return ignoreNotFound(s.store.DeleteStatus(ctx, st.ID))
}

// purgeRemoteAccount removes a remote account deleted at its origin:
// its statuses, boosts, favourites, follows and notifications and the
// account itself (store.DeleteRemoteAccountData), then its keys, so that
// whatever remains sealed under them (backups, rows a failed purge left)
// reads as shredded. What remains: status edits and notes others wrote
// about it go with the account row; mentions of it in others' statuses
// stay in those statuses, sealed under their authors' keys.
func (s *Service) purgeRemoteAccount(ctx context.Context, accountID int64) error {
	if err := s.store.DeleteRemoteAccountData(ctx, accountID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("core: purge remote account: %w", err)
	}
	if err := s.vault.Shred(ctx, accountID); err != nil {
		return fmt.Errorf("core: shred remote account: %w", err)
	}
	return nil
}

// like applies the actor's Like of a status it may see, and tells the
// status's author.
func (in *inbound) like(ctx context.Context) error {
	s := in.s
	st, err := s.knownStatus(ctx, in.act.ObjectIRI())
	if err != nil {
		return ignoreNotFound(err)
	}
	if ok, err := s.CanSee(ctx, in.actor.ID, st); err != nil {
		return err
	} else if !ok || st.ReblogOfID != 0 {
		return nil
	}
	created, err := s.store.AddFavourite(ctx, in.actor.ID, st.ID)
	if err != nil {
		return ignoreNotFound(fmt.Errorf("core: inbox like: %w", err))
	}
	if created {
		return s.notifyAbout(ctx, st.AccountID, in.actor.ID, model.NotifyFavourite, st.ID)
	}
	return nil
}

// announce stores the actor's boost (its URI the Announce's id), fetching
// the boosted post when it is unknown, and tells the post's author.
func (in *inbound) announce(ctx context.Context) error {
	s := in.s
	if in.act.ID == "" || !sameHost(in.act.ID, in.actor.URI) {
		return fmt.Errorf("core: announce: %w", errForeignObject)
	}
	if _, err := s.store.StatusByURI(ctx, in.act.ID); err == nil {
		return nil
	}
	target, err := in.resolveStatus(ctx, in.act.ObjectIRI())
	if err == nil && target.ReblogOfID != 0 {
		target, err = s.store.Status(ctx, target.ReblogOfID)
	}
	if err != nil {
		return ignoreNotFound(err)
	}
	vis := ap.VisibilityOf(in.act, s.followersOf(ctx, in.actor.ID))
	if vis == model.VisibilityDirect || !boostable(in.actor.ID, target) {
		return nil
	}
	if target.Visibility == model.VisibilityPrivate {
		vis = model.VisibilityPrivate
	}
	now := s.now()
	boost := &model.Status{AccountID: in.actor.ID, ReblogOfID: target.ID, URI: in.act.ID,
		URL: in.act.ID, Visibility: vis, ConversationID: target.ConversationID, CreatedAt: now}
	if p := in.act.Published; !p.IsZero() && p.Before(now) {
		boost.CreatedAt = p
	}
	boost.ID = remoteStatusID(boost.CreatedAt, now)
	err = s.createRemoteStatus(ctx, boost, now)
	if errors.Is(err, model.ErrConflict) {
		return nil // boosted already
	}
	if err != nil {
		return ignoreNotFound(fmt.Errorf("core: store boost: %w", err))
	}
	return s.notifyAbout(ctx, target.AccountID, in.actor.ID, model.NotifyReblog, boost.ID)
}
