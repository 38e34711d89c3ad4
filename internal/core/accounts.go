package core

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Profile limits, as Mastodon's.
const (
	MaxDisplayNameChars = 30
	MaxNoteChars        = 500
	MaxProfileFields    = 4
	MaxFieldChars       = 255
	maxEmailLen         = 254
	maxReasonChars      = 1000
)

// Account returns the account with id as viewerID sees it. A suspended
// account, or a local one still waiting for approval, is model.ErrNotFound
// to everyone but itself.
func (s *Service) Account(ctx context.Context, viewerID, id int64) (*model.Account, error) {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: account %d: %w", id, err)
	}
	if err := s.checkVisible(ctx, viewerID, a); err != nil {
		return nil, fmt.Errorf("core: account %d: %w", id, err)
	}
	return a, nil
}

// checkVisible hides suspended and unapproved accounts from others.
func (s *Service) checkVisible(ctx context.Context, viewerID int64, a *model.Account) error {
	if a.ID == viewerID {
		return nil
	}
	if a.SuspendedAt != nil {
		return model.ErrNotFound
	}
	if !a.Local() {
		return nil
	}
	u, err := s.store.User(ctx, a.ID)
	if err != nil {
		return err
	}
	if !u.Approved {
		return model.ErrNotFound
	}
	return nil
}

// Accounts returns the visible accounts among ids, in the order asked.
func (s *Service) Accounts(ctx context.Context, viewerID int64, ids []int64) ([]*model.Account, error) {
	m, err := s.store.AccountsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("core: accounts: %w", err)
	}
	out := make([]*model.Account, 0, len(ids))
	for _, id := range ids {
		if a := m[id]; a != nil && s.checkVisible(ctx, viewerID, a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// LookupAccount finds an account by its handle: "alice", "@alice" or
// "alice@this.domain" for a local one, "alice@example.org" for a known
// remote one.
func (s *Service) LookupAccount(ctx context.Context, viewerID int64, acct string) (*model.Account, error) {
	name, domain := s.splitAcct(acct)
	if name == "" {
		return nil, model.ErrNotFound
	}
	a, err := s.store.AccountByUsername(ctx, name, domain)
	if err != nil {
		return nil, fmt.Errorf("core: lookup account: %w", err)
	}
	if err := s.checkVisible(ctx, viewerID, a); err != nil {
		return nil, fmt.Errorf("core: lookup account: %w", err)
	}
	return a, nil
}

// splitAcct splits a handle into username and domain; this server's own
// domain becomes "".
func (s *Service) splitAcct(acct string) (name, domain string) {
	if hasNUL(acct) {
		return "", ""
	}
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "@")
	name, domain, _ = strings.Cut(acct, "@")
	if strings.EqualFold(domain, s.settings().Domain) {
		domain = ""
	}
	return name, strings.ToLower(domain)
}

// SearchAccounts finds accounts whose username starts with q (a handle's
// user part), leaving out accounts the viewer blocks or is blocked by, and
// with following, accounts the viewer does not follow.
func (s *Service) SearchAccounts(ctx context.Context, viewerID int64, q string, following bool, limit, offset int) ([]*model.Account, error) {
	name, domain := s.splitAcct(q)
	if name == "" || domain != "" {
		return []*model.Account{}, nil // remote lookup (resolve) comes with federation
	}
	found, err := s.store.SearchAccounts(ctx, name, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("core: search accounts: %w", err)
	}
	ids := make([]int64, len(found))
	for i, a := range found {
		ids[i] = a.ID
	}
	rels, err := s.store.Relationships(ctx, viewerID, ids)
	if err != nil {
		return nil, fmt.Errorf("core: search accounts: %w", err)
	}
	out := make([]*model.Account, 0, len(found))
	for i, a := range found {
		r := rels[i]
		if r.Blocking || r.BlockedBy || (following && !r.Following && a.ID != viewerID) {
			continue
		}
		if hide, err := s.silencedStranger(ctx, a, r); err != nil {
			return nil, err
		} else if hide {
			continue
		}
		if s.checkVisible(ctx, viewerID, a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Credentials is the signed-in user's own account with what only they see.
type Credentials struct {
	Account        *model.Account
	User           *model.User
	Prefs          *model.Preferences
	FollowRequests int
}

// Credentials returns the caller's account, preferences and the number of
// follow requests waiting.
func (s *Service) Credentials(ctx context.Context, a *Auth) (*Credentials, error) {
	if a == nil || a.Account == nil {
		return nil, model.ErrUnauthorized
	}
	acct, err := s.store.Account(ctx, a.Account.ID)
	if err != nil {
		return nil, fmt.Errorf("core: credentials: %w", err)
	}
	prefs, err := s.Preferences(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	n, err := s.countFollowRequests(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	return &Credentials{Account: acct, User: a.User, Prefs: prefs, FollowRequests: n}, nil
}

// countFollowRequests counts pending requests, paging through them; it
// stops counting at a few thousand, which no client shows exactly anyway.
func (s *Service) countFollowRequests(ctx context.Context, id int64) (int, error) {
	const pageSize, maxPages = 200, 20
	p := store.Page{Limit: pageSize}
	n := 0
	for range maxPages {
		items, err := s.store.FollowRequests(ctx, id, p)
		if err != nil {
			return 0, fmt.Errorf("core: count follow requests: %w", err)
		}
		n += len(items)
		if len(items) < pageSize {
			break
		}
		p.MaxID = items[len(items)-1].Key
	}
	return n, nil
}

// Preferences returns an account's posting and reading defaults, Mastodon's
// defaults where none are saved.
func (s *Service) Preferences(ctx context.Context, accountID int64) (*model.Preferences, error) {
	p, err := s.store.Preferences(ctx, accountID)
	if errors.Is(err, model.ErrNotFound) {
		return defaultPreferences(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("core: preferences: %w", err)
	}
	if p.PostingVisibility == "" {
		p.PostingVisibility = model.VisibilityPublic
	}
	if p.ExpandMedia == "" {
		p.ExpandMedia = "default"
	}
	return p, nil
}

func defaultPreferences() *model.Preferences {
	return &model.Preferences{PostingVisibility: model.VisibilityPublic, ExpandMedia: "default"}
}

// ProfileUpdate is what PATCH update_credentials may change; nil fields
// stay as they are.
type ProfileUpdate struct {
	DisplayName  *string
	Note         *string
	Locked       *bool
	Bot          *bool
	Discoverable *bool
	NoIndex      *bool // asks search engines not to index the profile and public posts
	Fields       *[]model.Field
	Privacy      *model.Visibility
	Sensitive    *bool
	Language     *string
}

// UpdateProfile applies u to the caller's account and preferences and
// returns the new credentials.
func (s *Service) UpdateProfile(ctx context.Context, a *Auth, u ProfileUpdate) (*Credentials, error) {
	if a == nil || a.Account == nil {
		return nil, model.ErrUnauthorized
	}
	if err := checkProfile(u); err != nil {
		return nil, err
	}
	acct, err := s.store.Account(ctx, a.Account.ID)
	if err != nil {
		return nil, fmt.Errorf("core: update profile: %w", err)
	}
	if applyProfile(acct, u) {
		acct.UpdatedAt = s.now()
		if err := s.store.UpdateAccount(ctx, acct); err != nil {
			return nil, fmt.Errorf("core: update profile: %w", err)
		}
		s.publish(ctx, Event{Kind: EventProfileUpdated, ActorID: acct.ID})
	}
	if u.Privacy != nil || u.Sensitive != nil || u.Language != nil {
		if err := s.updatePostingDefaults(ctx, acct.ID, u); err != nil {
			return nil, err
		}
	}
	return s.Credentials(ctx, &Auth{Account: acct, User: a.User})
}

func checkProfile(u ProfileUpdate) error {
	var errs []error
	if u.DisplayName != nil && utf8.RuneCountInString(*u.DisplayName) > MaxDisplayNameChars {
		errs = append(errs, tooLong("display_name", MaxDisplayNameChars))
	}
	if u.Note != nil && utf8.RuneCountInString(*u.Note) > MaxNoteChars {
		errs = append(errs, tooLong("note", MaxNoteChars))
	}
	if u.Fields != nil {
		errs = append(errs, checkFields(*u.Fields))
	}
	if u.Privacy != nil && (!u.Privacy.Valid() || *u.Privacy == model.VisibilityDirect) {
		errs = append(errs, fieldErr("source.privacy", "ERR_INCLUSION", "is not included in the list"))
	}
	if u.Language != nil && *u.Language != "" && !languageCode.MatchString(*u.Language) {
		errs = append(errs, fieldErr("source.language", "ERR_INCLUSION", "is not included in the list"))
	}
	return joinFieldErrors(errs...)
}

func checkFields(fs []model.Field) error {
	if len(fs) > MaxProfileFields {
		return fieldErr("fields", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d fields)", MaxProfileFields))
	}
	for _, f := range fs {
		if utf8.RuneCountInString(f.Name) > MaxFieldChars || utf8.RuneCountInString(f.Value) > MaxFieldChars {
			return fieldErr("fields", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters per name or value)", MaxFieldChars))
		}
	}
	return nil
}

func tooLong(field string, n int) error {
	return fieldErr(field, "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters)", n))
}

// languageCode is an ISO 639 code, optionally with a region or script.
var languageCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

// applyProfile copies u's set fields onto a and reports whether any was set.
func applyProfile(a *model.Account, u ProfileUpdate) bool {
	changed := false
	set := func(dst *string, v *string) {
		if v != nil {
			*dst, changed = strings.TrimSpace(*v), true
		}
	}
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst, changed = *v, true
		}
	}
	set(&a.DisplayName, u.DisplayName)
	set(&a.Note, u.Note)
	setBool(&a.Locked, u.Locked)
	setBool(&a.Bot, u.Bot)
	setBool(&a.Discoverable, u.Discoverable)
	setBool(&a.NoIndex, u.NoIndex)
	if u.Fields != nil {
		a.Fields, changed = keptFields(a.Fields, *u.Fields), true
	}
	return changed
}

// keptFields drops empty pairs and keeps a field's verification only while
// its value is unchanged.
func keptFields(old, fs []model.Field) []model.Field {
	out := []model.Field{}
	for _, f := range fs {
		f.Name, f.Value = strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
		if f.Name == "" && f.Value == "" {
			continue
		}
		f.VerifiedAt = nil
		for _, o := range old {
			if o.Name == f.Name && o.Value == f.Value {
				f.VerifiedAt = o.VerifiedAt
			}
		}
		out = append(out, f)
	}
	return out
}

func (s *Service) updatePostingDefaults(ctx context.Context, id int64, u ProfileUpdate) error {
	p, err := s.Preferences(ctx, id)
	if err != nil {
		return err
	}
	if u.Privacy != nil {
		p.PostingVisibility = *u.Privacy
	}
	if u.Sensitive != nil {
		p.PostingSensitive = *u.Sensitive
	}
	if u.Language != nil {
		p.PostingLanguage = *u.Language
	}
	if err := s.store.SetPreferences(ctx, id, p); err != nil {
		return fmt.Errorf("core: update preferences: %w", err)
	}
	return nil
}

// normalizeEmail is the form of an address that is hashed and stored.
func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// emailHash is the keyed hash that makes emails unique and lets users sign
// in with one, without storing it in the clear.
func (s *Service) emailHash(normalized string) []byte { return s.vault.Blind("email", normalized) }

// checkEmail validates a normalized address.
func checkEmail(e string) error {
	if len(e) > maxEmailLen {
		return fieldErr("email", "ERR_INVALID", "is invalid")
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return fieldErr("email", "ERR_INVALID", "is invalid")
	}
	return nil
}
