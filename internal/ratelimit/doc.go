// Package ratelimit counts requests per client without ever holding the
// client's address. It is the only code in Roost that reads a client
// address (the TCP peer, or X-Forwarded-For from a trusted proxy), and it
// reads it for one purpose: to turn it at once into an HMAC-SHA-256 key.
//
// The HMAC secret is 32 random bytes made in memory when the Guard starts
// and made again at every UTC day boundary; it is never written anywhere.
// At rotation every counter is dropped with the old secret, so keys from
// two different days can never be linked, and a client gets at most one
// fresh window at midnight. IPv6 addresses are counted per /64, as Mastodon
// does, since one host usually holds a whole /64.
//
// Bearer tokens are keyed the same way, so the Guard holds neither an
// address nor a token: only 32-byte digests, their counters and window
// starts, in tables of bounded size that drop their oldest entry when full.
//
// Requests from a loopback address are never limited (Mastodon's
// "allow from localhost"): a same-host proxy that is not declared trusted
// would otherwise put every user in one bucket, and Roost's own tests talk
// to it over loopback.
package ratelimit
