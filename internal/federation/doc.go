// Package federation is Roost's ActivityPub HTTP adapter: what other
// fediverse servers fetch from this one. It serves discovery (WebFinger,
// host-meta, NodeInfo), the actor documents of local accounts and of the
// instance's Service actor, their collections (outbox, followers,
// following, featured), and local statuses as Note and Create. It calls
// core for every read and never touches storage or keys directly. The
// ActivityStreams vocabulary lives in ap, signatures in httpsig, and the
// one outbound client in outbound.
//
// # URL layout
//
// The layout is Mastodon's, so that peers and people recognize it:
//
//	/users/{username}                       Person (Service for bots)
//	/users/{username}/outbox                OrderedCollection of Create
//	/users/{username}/followers, /following OrderedCollection, totalItems only
//	/users/{username}/collections/featured  pinned statuses, as Notes
//	/users/{username}/statuses/{id}         Note
//	/users/{username}/statuses/{id}/activity  Create of that Note
//	/actor                                  the instance actor (Service)
//	/@{username}                            profile page (the web UI, later)
//	/users/{username}/inbox, /inbox         inboxes (the inbox half, next)
//
// Key ids are {actor}#main-key (RSA-2048, publicKey) and
// {actor}#ed25519-key (Ed25519 Multikey in assertionMethod, FEP-521a), so
// fetching a key id yields the actor document that holds it.
//
// # Content negotiation
//
// Actor, status and collection routes answer an Accept header that names
// application/activity+json, application/ld+json (any profile) or
// application/json with the document, as Content-Type
// "application/activity+json; charset=utf-8" and Vary: Accept. Any other
// Accept (a browser, or a bare */*) gets 406 Not Acceptable with a short
// text: Mastodon would show the profile page there, and Roost has no web
// UI yet. When it does, these become redirects to the /@ pages.
//
// # What is never revealed
//
// An unknown, suspended or not yet approved account answers 404 with the
// same body and headers everywhere, WebFinger included. Outbox and featured
// list only public and unlisted statuses, never followers-only or direct
// ones, whoever asks. Followers and following give their totals only, as
// Mastodon does when an account hides its network. A followers-only or
// direct status fetched without a verified signature is 401 ("authorized
// fetch"); Options.Requester verifies the signature (requester.go: the
// key is looked up, or fetched once, through core) and names the remote
// account whose visibility rights apply. Outbound fetches are signed as the
// instance actor (fetch.go), RFC 9421 first, draft-cavage on a 401, with the
// choice remembered per host. Nothing here logs a requester's
// address or sets a cookie.
package federation
