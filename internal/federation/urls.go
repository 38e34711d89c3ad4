package federation

import (
	"net/url"

	"github.com/roost-social/roost/internal/model"
)

// urls lays out the IRIs of local objects (see the package doc). base is
// the instance's public URL without a trailing slash.
type urls struct{ base string }

func (u urls) actor(username string) string   { return u.base + "/users/" + username }
func (u urls) profile(username string) string { return u.base + "/@" + username }
func (u urls) instanceActor() string          { return u.base + "/actor" }
func (u urls) sharedInbox() string            { return u.base + "/inbox" }
func (u urls) tag(name string) string         { return u.base + "/tags/" + url.PathEscape(name) }
func (u urls) webfingerTemplate() string      { return u.base + "/.well-known/webfinger?resource={uri}" }

func (u urls) status(username string, id int64) string {
	return u.actor(username) + "/statuses/" + model.FormatID(id)
}

func (u urls) statusPage(username string, id int64) string {
	return u.profile(username) + "/" + model.FormatID(id)
}

// accountIRI is an account's ActivityPub id, local or remote.
func (u urls) accountIRI(a *model.Account) string {
	if a.Local() {
		return u.actor(a.Username)
	}
	return a.URI
}

// statusIRI is a status's ActivityPub id, local or remote; author is its
// author.
func (u urls) statusIRI(st *model.Status, author *model.Account) string {
	if st.Local && author != nil {
		return u.status(author.Username, st.ID)
	}
	return st.URI
}
