// Package httpsig signs and verifies ActivityPub server-to-server HTTP
// requests. It owns both signature formats seen in the fediverse:
//
//   - draft-cavage-http-signatures-12 ("cavage"): one Signature header (or
//     Authorization: Signature ...), a Digest header (RFC 3230) for bodies,
//     algorithm "hs2019" or "rsa-sha256". This is what Mastodon, GoToSocial,
//     Akkoma and Misskey send today.
//   - RFC 9421 HTTP Message Signatures: Signature-Input and Signature
//     dictionaries (RFC 8941 structured fields), a Content-Digest header
//     (RFC 9530) for bodies, algorithms "rsa-v1_5-sha256" and "ed25519"
//     (and "rsa-pss-sha512" for verification).
//
// It also parses public keys as published in actor documents: PEM (PKIX or
// PKCS #1) and Multikey (FEP-521a).
//
// # Verifying
//
// Verify detects the format (Signature-Input present means RFC 9421),
// parses the headers with bounded lengths, rebuilds the signing string or
// signature base, and applies a policy before any key is fetched:
//
//   - the method and target are covered: "(request-target)" for cavage;
//     "@method" plus "@target-uri" (or "@request-target", or "@path" with
//     "@query" when the URL has a query) for RFC 9421;
//   - the host is covered: "host" for cavage; "@target-uri", "@authority"
//     or "host" for RFC 9421;
//   - the signature is bound to a time: a covered Date header or a created
//     parameter; it must be no older than VerifyOptions.MaxAge (default 1h),
//     no further in the future than VerifyOptions.MaxFuture (default 15m),
//     and not past its expires parameter;
//   - a POST, or any request with a body, covers Digest or Content-Digest,
//     and every digest header present matches the body.
//
// Only then is the key looked up. When the signature does not verify with
// the key returned, the lookup is called once more with refresh=true (the
// remote actor may have rotated its key) and the check is retried once.
//
// # Signing and double knocking
//
// SignCavage and SignRFC9421 sign an outgoing request; SignFor picks one by
// Mode. The outbound client is expected to follow FEP-844e "double knocking"
// (as Fedify does), with HostModes remembering the outcome per host:
//
//	mode := modes.Preferred(host)          // ModeRFC9421 unless a host taught us otherwise
//	SignFor(mode, req, body, key, keyID, now); resp := send(req)
//	if RetryWithOtherMode(resp.StatusCode) {    // 400, 401 or 403
//		mode = mode.Other()
//		SignFor(mode, req, body, key, keyID, now); resp = send(req)
//	}
//	if SignatureAccepted(resp.StatusCode) {     // anything but 400/401/403 and 5xx
//		modes.Record(host, mode)
//	}
//
// Each Sign function replaces the headers of the other format, so the same
// *http.Request (with a fresh body reader) can be signed again.
//
// Nothing here logs. Errors name the failing step and wrap one of the
// sentinel errors (ErrNoSignature, ErrMalformed, ...); they may quote a key
// ID but never a header value or the body.
package httpsig
