package ap

import (
	"slices"

	"github.com/roost-social/roost/internal/model"
)

// VisibilityOf maps a post's addressing to a visibility the way Mastodon
// does when it receives one:
//
//   - the public collection in to: public;
//   - the public collection in cc: unlisted;
//   - the author's followers collection in to: private (followers only);
//   - anything else: direct.
//
// followersURL is the author's followers collection, from their actor
// document. Like Mastodon, only to is consulted for the followers check: a
// post that names the followers in cc alone is treated as direct, the
// narrower reading. Mastodon reads a Create's object, falling back to the
// activity's to and cc when the object has none; pass whichever applies.
func VisibilityOf(obj *Object, followersURL string) model.Visibility {
	switch {
	case slices.ContainsFunc(obj.To, IsPublic):
		return model.VisibilityPublic
	case slices.ContainsFunc(obj.CC, IsPublic):
		return model.VisibilityUnlisted
	case followersURL != "" && slices.Contains(obj.To, followersURL):
		return model.VisibilityPrivate
	}
	return model.VisibilityDirect
}

// Addressing returns the to and cc Mastodon puts on a status of the given
// visibility by an author whose followers collection is followersURL,
// mentioning the actors in mentionIRIs:
//
//	public:   to [Public]           cc [followers, mentions...]
//	unlisted: to [followers]        cc [Public, mentions...]
//	private:  to [followers]        cc [mentions...]
//	direct:   to [mentions...]      cc []
//
// Mentions keep their order, without duplicates or empties. An unknown
// visibility is addressed as direct, the narrowest.
func Addressing(vis model.Visibility, followersURL string, mentionIRIs []string) (to, cc []string) {
	mentions := uniq(mentionIRIs)
	switch vis {
	case model.VisibilityPublic:
		return []string{PublicIRI}, append([]string{followersURL}, mentions...)
	case model.VisibilityUnlisted:
		return []string{followersURL}, append([]string{PublicIRI}, mentions...)
	case model.VisibilityPrivate:
		return []string{followersURL}, mentions
	}
	return mentions, nil
}

func uniq(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
