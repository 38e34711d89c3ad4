package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/text"
)

// ErrReplyNotFound is a reply to a status that does not exist or that the
// poster may not see. It is model.ErrNotFound.
var ErrReplyNotFound = fmt.Errorf("status replied to: %w", model.ErrNotFound)

// idempotencyTTL is how long an Idempotency-Key is remembered, as Mastodon
// does.
const idempotencyTTL = time.Hour

// NewStatus is what a client posts.
type NewStatus struct {
	Text        string
	SpoilerText string
	// Sensitive nil means the poster's default.
	Sensitive *bool
	// Visibility "" means the poster's default.
	Visibility  model.Visibility
	Language    string
	InReplyToID int64
	// IdempotencyKey, when set, makes a repeat of the same request within
	// an hour return the status the first one made.
	IdempotencyKey string
}

// PostStatus publishes a status by author.
func (s *Service) PostStatus(ctx context.Context, author *model.Account, in NewStatus) (*StatusView, error) {
	if err := refuseMoved(author); err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		unlock := lockIdempotency(author.ID, in.IdempotencyKey)
		defer unlock()
		if v, err := s.idempotentStatus(ctx, author.ID, in.IdempotencyKey); v != nil || err != nil {
			return v, err
		}
	}
	st, err := s.buildStatus(ctx, author, in)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateStatus(ctx, st); err != nil {
		return nil, fmt.Errorf("core: create status: %w", err)
	}
	if in.IdempotencyKey != "" {
		exp := s.now().Add(idempotencyTTL)
		if err := s.store.RememberIdempotency(ctx, author.ID, in.IdempotencyKey, st.ID, exp); err != nil {
			return nil, fmt.Errorf("core: remember idempotency key: %w", err)
		}
	}
	if err := s.notifyPosted(ctx, st, nil); err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventStatusCreated, ActorID: author.ID, StatusID: st.ID})
	return s.freshView(ctx, author.ID, st.ID)
}

// idempotentStatus returns the status an earlier request with key made, or
// nil when there is none (or it was deleted since).
func (s *Service) idempotentStatus(ctx context.Context, accountID int64, key string) (*StatusView, error) {
	id, err := s.store.IdempotentStatus(ctx, accountID, key, s.now())
	if errors.Is(err, model.ErrNotFound) || (err == nil && id == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("core: idempotency key: %w", err)
	}
	v, err := s.freshView(ctx, accountID, id)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// idemLocks serialises requests that carry the same account and
// Idempotency-Key, so that two at once cannot both post.
var idemLocks [64]sync.Mutex

func lockIdempotency(accountID int64, key string) (unlock func()) {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d\x00%s", accountID, key)
	m := &idemLocks[h.Sum32()%uint32(len(idemLocks))]
	m.Lock()
	return m.Unlock
}

// buildStatus validates in and makes the status to store.
func (s *Service) buildStatus(ctx context.Context, author *model.Account, in NewStatus) (*model.Status, error) {
	prefs, err := s.postingPrefs(ctx, author)
	if err != nil {
		return nil, err
	}
	in.SpoilerText = strings.TrimSpace(in.SpoilerText)
	if strings.TrimSpace(in.Text) == "" && in.SpoilerText != "" {
		in.Text, in.SpoilerText = in.SpoilerText, "" // as Mastodon does
	}
	if err := s.checkLength(in.Text, in.SpoilerText); err != nil {
		return nil, err
	}
	vis := in.Visibility
	if vis == "" {
		vis = prefs.PostingVisibility
	}
	if !vis.Valid() {
		return nil, model.Invalid("Visibility is not included in the list")
	}
	now := s.now()
	st := &model.Status{
		ID: model.NewID(now), AccountID: author.ID, Text: in.Text, SpoilerText: in.SpoilerText,
		Sensitive:  in.SpoilerText != "" || (in.Sensitive == nil && prefs.PostingSensitive) || (in.Sensitive != nil && *in.Sensitive),
		Visibility: vis, Language: language(in.Language, prefs.PostingLanguage), Local: true, CreatedAt: now,
	}
	if err := s.setThread(ctx, st, in.InReplyToID); err != nil {
		return nil, err
	}
	if err := s.render(ctx, st); err != nil {
		return nil, err
	}
	return st, nil
}

// postingPrefs returns author's posting defaults; with none stored, public
// (followers-only for a locked account), as Mastodon does.
func (s *Service) postingPrefs(ctx context.Context, author *model.Account) (model.Preferences, error) {
	p, err := s.store.Preferences(ctx, author.ID)
	if errors.Is(err, model.ErrNotFound) || (err == nil && p == nil) {
		p, err = &model.Preferences{}, nil
	}
	if err != nil {
		return model.Preferences{}, fmt.Errorf("core: posting preferences: %w", err)
	}
	out := *p
	if !out.PostingVisibility.Valid() {
		out.PostingVisibility = model.VisibilityPublic
		if author.Locked {
			out.PostingVisibility = model.VisibilityPrivate
		}
	}
	return out, nil
}

// checkLength enforces the instance's character limit the way Mastodon
// counts it: the text and the content warning together.
func (s *Service) checkLength(body, spoiler string) error {
	if strings.TrimSpace(body) == "" {
		return model.Invalid("Text can't be blank")
	}
	if text.CountStatus(body, spoiler) > s.settings().MaxStatusChars {
		return model.Invalid(fmt.Sprintf("Text character limit of %d exceeded", s.settings().MaxStatusChars))
	}
	return nil
}

// language picks the first well-formed language code (ISO 639-1 or -3), or
// "" for none, as Mastodon falls back from an invalid one.
func language(codes ...string) string {
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		if n := len(c); (n == 2 || n == 3) && strings.Trim(c, "abcdefghijklmnopqrstuvwxyz") == "" {
			return c
		}
	}
	return ""
}

// setThread makes st a reply to inReplyToID, which must exist and be
// visible to the poster; a reply to a boost replies to the boosted status.
// The conversation is the parent's, or a new one.
func (s *Service) setThread(ctx context.Context, st *model.Status, inReplyToID int64) error {
	st.ConversationID = st.ID
	if inReplyToID == 0 {
		return nil
	}
	parent, err := s.visibleTarget(ctx, st.AccountID, inReplyToID)
	if errors.Is(err, model.ErrNotFound) {
		return ErrReplyNotFound
	}
	if err != nil {
		return err
	}
	st.InReplyToID = parent.ID
	// Mastodon carries the account replied to over a self-reply chain.
	st.InReplyToAccountID = parent.AccountID
	if parent.AccountID == st.AccountID && parent.InReplyToAccountID != 0 {
		st.InReplyToAccountID = parent.InReplyToAccountID
	}
	if parent.ConversationID != 0 {
		st.ConversationID = parent.ConversationID
	}
	return nil
}

// freshView reads status id again (for its counters) and returns it as
// viewerID sees it.
func (s *Service) freshView(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: status %d: %w", id, err)
	}
	return s.view(ctx, viewerID, st)
}

// Status returns status id as viewerID (0: signed out) may see it.
func (s *Service) Status(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	return s.freshView(ctx, viewerID, id)
}

// StatusEdit is what a client changes when it edits a status. Nil fields
// keep their value.
type StatusEdit struct {
	Text        string
	SpoilerText *string
	Sensitive   *bool
	Language    *string
}

// EditStatus changes the text of one of viewer's statuses, keeping the
// version it replaces in the status's history.
func (s *Service) EditStatus(ctx context.Context, viewer *model.Account, id int64, in StatusEdit) (*StatusView, error) {
	st, err := s.ownStatus(ctx, viewer.ID, id)
	if err != nil {
		return nil, err
	}
	prev := &model.StatusEdit{
		ID: model.NewID(s.now()), StatusID: st.ID, AccountID: st.AccountID, Text: st.Text,
		Content: st.Content, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt,
	}
	if st.EditedAt != nil {
		prev.CreatedAt = *st.EditedAt
	}
	oldMentions := st.Mentions
	if err := s.applyEdit(ctx, st, in); err != nil {
		return nil, err
	}
	if err := s.store.EditStatus(ctx, st, prev); err != nil {
		return nil, fmt.Errorf("core: edit status %d: %w", id, err)
	}
	if err := s.notifyPosted(ctx, st, oldMentions); err != nil {
		return nil, err
	}
	if err := s.notifyEdited(ctx, st); err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventStatusUpdated, ActorID: viewer.ID, StatusID: id})
	return s.freshView(ctx, viewer.ID, id)
}

// ownStatus loads a status of viewerID's that viewerID may change: another
// account's visible status is model.ErrForbidden, an invisible one
// model.ErrNotFound, as is a boost (which has nothing to change).
func (s *Service) ownStatus(ctx context.Context, viewerID, id int64) (*model.Status, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	if st.AccountID != viewerID || st.ReblogOfID != 0 {
		return nil, fmt.Errorf("core: status %d: %w", id, model.ErrForbidden)
	}
	return st, nil
}

// applyEdit validates an edit and applies it to st.
func (s *Service) applyEdit(ctx context.Context, st *model.Status, in StatusEdit) error {
	spoiler := st.SpoilerText
	if in.SpoilerText != nil {
		spoiler = strings.TrimSpace(*in.SpoilerText)
	}
	if err := s.checkLength(in.Text, spoiler); err != nil {
		return err
	}
	st.Text, st.SpoilerText = in.Text, spoiler
	if in.Sensitive != nil {
		st.Sensitive = *in.Sensitive
	}
	st.Sensitive = st.Sensitive || spoiler != ""
	if in.Language != nil {
		st.Language = language(*in.Language)
	}
	now := s.now()
	st.EditedAt = &now
	return s.render(ctx, st)
}

// StatusHistory returns every version of a status, oldest first, the
// current one last. Whoever may see the status may see its history, as in
// Mastodon.
func (s *Service) StatusHistory(ctx context.Context, viewerID, id int64) ([]*model.StatusEdit, *model.Account, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil {
		return nil, nil, err
	}
	author, err := s.store.Account(ctx, st.AccountID)
	if err != nil {
		return nil, nil, fmt.Errorf("core: status %d author: %w", id, err)
	}
	edits, err := s.store.StatusEdits(ctx, st.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("core: status %d history: %w", id, err)
	}
	sortEdits(edits)
	cur := &model.StatusEdit{
		StatusID: st.ID, AccountID: st.AccountID, Text: st.Text, Content: st.Content,
		SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt,
	}
	if st.EditedAt != nil {
		cur.CreatedAt = *st.EditedAt
	}
	return append(edits, cur), author, nil
}

// StatusSource returns one of viewerID's statuses for editing; another
// account's is model.ErrForbidden.
func (s *Service) StatusSource(ctx context.Context, viewerID, id int64) (*model.Status, error) {
	return s.ownStatus(ctx, viewerID, id)
}

// DeleteStatus deletes one of viewerID's statuses (or boosts) and returns
// it with its source text, for delete-and-redraft. Another account's status
// is model.ErrNotFound, as in Mastodon.
func (s *Service) DeleteStatus(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: status %d: %w", id, err)
	}
	if st.AccountID != viewerID {
		return nil, fmt.Errorf("core: status %d: %w", id, model.ErrNotFound)
	}
	v, err := s.view(ctx, viewerID, st)
	if err != nil {
		return nil, err
	}
	gone := Event{Kind: EventStatusDeleted, ActorID: viewerID, StatusID: id, Deleted: DeletedStatusOf(st)}
	if err := s.store.DeleteStatus(ctx, id); err != nil {
		return nil, fmt.Errorf("core: delete status %d: %w", id, err)
	}
	s.publish(ctx, gone)
	v.Source = true
	return v, nil
}

// Context limits: Mastodon's for signed-out readers, and its overall cap.
const (
	contextLimit            = 4096
	signedOutAncestorsLimit = 40
	signedOutDescendants    = 60
)

// StatusContext is a status's thread: what it replies to and its replies.
type StatusContext struct {
	Ancestors, Descendants []*StatusView
}

// Context returns the thread around status id as viewerID may see it.
// Statuses of muted accounts are left out, as Mastodon does.
func (s *Service) Context(ctx context.Context, viewerID, id int64) (*StatusContext, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	up, down := contextLimit, contextLimit
	if viewerID == 0 {
		up, down = signedOutAncestorsLimit, signedOutDescendants
	}
	anc, err := s.store.Ancestors(ctx, st.ID, up)
	if err != nil {
		return nil, fmt.Errorf("core: status %d ancestors: %w", id, err)
	}
	desc, err := s.store.Descendants(ctx, st.ID, down)
	if err != nil {
		return nil, fmt.Errorf("core: status %d descendants: %w", id, err)
	}
	all, err := s.views(ctx, viewerID, append(anc, desc...), true)
	if err == nil {
		all, err = s.threadFilter(ctx, viewerID, all)
	}
	if err != nil {
		return nil, err
	}
	out := &StatusContext{Ancestors: []*StatusView{}, Descendants: []*StatusView{}}
	ancIDs := make(map[int64]bool, len(anc))
	for _, a := range anc {
		ancIDs[a.ID] = true
	}
	for _, v := range all {
		if ancIDs[v.Status.ID] {
			out.Ancestors = append(out.Ancestors, v)
		} else {
			out.Descendants = append(out.Descendants, v)
		}
	}
	return out, nil
}

// render turns st.Text into its HTML, mentions and tags. Mentions resolve
// to accounts that are not suspended: local ones (@user and
// @user@this-domain), and remote ones (@user@domain) through ResolveAcct;
// a remote account that cannot be resolved stays text.
func (s *Service) render(ctx context.Context, st *model.Status) error {
	var lookupErr error
	found := map[string]*model.Account{}
	opt := text.Options{
		BaseURL:     s.settings().BaseURL,
		LocalDomain: s.settings().Domain,
		ResolveMention: func(username, domain string) (string, bool) {
			if lookupErr != nil {
				return "", false
			}
			if domain != "" {
				return s.resolveRemoteMention(ctx, username, domain, found)
			}
			a, err := s.store.AccountByUsername(ctx, username, "")
			if err != nil {
				if !errors.Is(err, model.ErrNotFound) {
					lookupErr = err
				}
				return "", false
			}
			if a.SuspendedAt != nil {
				return "", false
			}
			found[mentionKey(username, "")] = a
			return s.settings().BaseURL + "/@" + a.Username, true
		},
	}
	res := text.Render(st.Text, opt)
	if lookupErr != nil {
		return fmt.Errorf("core: resolve mentions: %w", lookupErr)
	}
	st.Content, st.Tags, st.Mentions = res.HTML, res.Tags, nil
	for _, m := range res.Mentions {
		if a := found[mentionKey(m.Username, m.Domain)]; a != nil && !mentions(st, a.ID) {
			st.Mentions = append(st.Mentions, model.Mention{AccountID: a.ID, Username: a.Username, Acct: a.Acct()})
		}
	}
	return nil
}

// resolveRemoteMention resolves @username@domain for render, recording
// the account in found. Any failure leaves the mention as text: a remote
// server that is down or unknown must not stop a post.
func (s *Service) resolveRemoteMention(ctx context.Context, username, domain string, found map[string]*model.Account) (string, bool) {
	a, err := s.ResolveAcct(ctx, username+"@"+domain)
	if err != nil || a.SuspendedAt != nil {
		return "", false
	}
	found[mentionKey(username, domain)] = a
	if a.URL != "" {
		return a.URL, true
	}
	return a.URI, true
}

// mentionKey is the key of a mention in render's found accounts.
func mentionKey(username, domain string) string {
	return strings.ToLower(username) + "@" + strings.ToLower(domain)
}

// sortEdits orders a status's earlier versions oldest first.
func sortEdits(edits []*model.StatusEdit) {
	slices.SortStableFunc(edits, func(a, b *model.StatusEdit) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
