// Package ap owns Roost's ActivityStreams 2.0 wire format: it decodes the
// JSON that other fediverse servers send (inbox deliveries and fetched
// objects), encodes what Roost sends, maps addressing to and from Mastodon's
// four visibilities, and sanitizes remote HTML.
//
// # Compacted form, no JSON-LD processing
//
// ActivityPub documents are JSON-LD, but every major implementation
// (Mastodon, GoToSocial, Misskey, Akkoma/Pleroma) reads them as plain JSON in
// the compacted form under the ActivityStreams context: a property is known
// by its short name ("inbox", "sensitive", "_misskey_quote"), whatever the
// document's @context says. This package does the same and never expands or
// fetches a @context. That keeps decoding a pure function of the bytes (no
// network, no remote context that a hostile server can change) and matches
// what the servers Roost talks to actually do. The only aliasing applied is
// for the public collection: "as:Public", "Public" and the full IRI are all
// read as PublicIRI. On output, @context lists the ActivityStreams context
// plus the extension terms Mastodon declares, so JSON-LD consumers can still
// expand what Roost sends.
//
// # Untrusted input
//
// Decode treats its input as hostile: it bounds the document size, nesting
// depth, array and object sizes and string lengths (see Limits), rejects
// duplicate keys, and never panics. Wrong-typed optional properties are
// ignored rather than fatal, as Mastodon does. Errors are ErrTooLarge,
// ErrMalformed and ErrUnsupportedType, each wrapping model.ErrInvalid.
//
// Decoding checks shape only. Whether an activity's actor matches its
// signer, or an object's id is on the actor's host, is the caller's job.
package ap
