package httpsig

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Label is the signature label SignRFC9421 uses.
const Label = "sig1"

// sigInput is one labelled signature of an RFC 9421 request.
type sigInput struct {
	label      string
	components []sfItem // each value is the component name, a string
	params     []sfParam
	keyID      string
	alg        string
	created    time.Time // zero when absent
	expires    time.Time // zero when absent
	signature  []byte    // from the Signature header
}

func (in *sigInput) covers(name string) bool {
	for _, c := range in.components {
		if c.value == name {
			return true
		}
	}
	return false
}

func (in *sigInput) coveredNames() []string {
	out := make([]string, len(in.components))
	for i, c := range in.components {
		out[i] = c.value.(string)
	}
	return out
}

// parseSignatureInput parses a Signature-Input field value: a dictionary of
// inner lists of component identifiers with signature parameters.
func parseSignatureInput(s string) ([]*sigInput, error) {
	if len(s) > maxHeaderValue {
		return nil, fmt.Errorf("%w: Signature-Input too long", ErrMalformed)
	}
	members, err := parseSFDictionary(s)
	if err != nil {
		return nil, fmt.Errorf("%w: Signature-Input: %w", ErrMalformed, err)
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("%w: empty Signature-Input", ErrMalformed)
	}
	out := make([]*sigInput, 0, len(members))
	for _, m := range members {
		if !m.isList {
			return nil, fmt.Errorf("%w: Signature-Input %.40s is not an inner list", ErrMalformed, m.key)
		}
		in := &sigInput{label: m.key, components: m.list, params: m.item.params}
		if err := in.checkComponents(); err != nil {
			return nil, err
		}
		if err := in.readParams(); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func (in *sigInput) checkComponents() error {
	seen := make(map[string]bool, len(in.components))
	for _, c := range in.components {
		name, ok := c.value.(string)
		if !ok || !validComponentName(name) {
			return fmt.Errorf("%w: bad component identifier", ErrMalformed)
		}
		id, err := serializeItem(c)
		if err != nil || seen[id] {
			return fmt.Errorf("%w: component %.64s repeated", ErrMalformed, name)
		}
		seen[id] = true
	}
	return nil
}

func validComponentName(name string) bool {
	if name == "" || len(name) > maxHeaderNameLen || name == "@signature-params" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (i > 0 || c != '@') && (!isTChar(c) || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

func (in *sigInput) readParams() error {
	for _, p := range in.params {
		var ok bool
		switch p.key {
		case "created", "expires":
			var n int64
			if n, ok = p.value.(int64); ok && n >= 0 {
				t := time.Unix(n, 0)
				if p.key == "created" {
					in.created = t
				} else {
					in.expires = t
				}
			} else {
				ok = false
			}
		case "keyid":
			in.keyID, ok = p.value.(string)
		case "alg":
			in.alg, ok = p.value.(string)
		case "nonce", "tag":
			_, ok = p.value.(string)
		default:
			ok = true // unknown parameters are signed like the rest
		}
		if !ok {
			return fmt.Errorf("%w: signature parameter %s has the wrong type", ErrMalformed, p.key)
		}
	}
	return checkKeyID(in.keyID)
}

// attachSignatures fills each input's signature from the Signature field.
// A label without a signature is an error.
func attachSignatures(inputs []*sigInput, sigHeader string) error {
	members, err := parseSFDictionary(sigHeader)
	if err != nil {
		return fmt.Errorf("%w: Signature: %w", ErrMalformed, err)
	}
	for _, in := range inputs {
		for _, m := range members {
			if m.key != in.label {
				continue
			}
			b, ok := m.item.value.([]byte)
			if m.isList || !ok || len(b) == 0 || len(b) > maxSignatureBytes {
				return fmt.Errorf("%w: signature %.40s is not a sane byte sequence", ErrMalformed, in.label)
			}
			in.signature = b
		}
		if in.signature == nil {
			return fmt.Errorf("%w: no signature for label %.40s", ErrMalformed, in.label)
		}
	}
	return nil
}

// signatureBase builds the RFC 9421 §2.5 signature base of r for in.
func (in *sigInput) signatureBase(r *http.Request, scheme string) ([]byte, error) {
	var b strings.Builder
	for _, c := range in.components {
		id, err := serializeItem(c)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		v, err := componentValue(r, c, scheme)
		if err != nil {
			return nil, err
		}
		b.WriteString(id)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
		if b.Len() > maxBaseLen {
			return nil, fmt.Errorf("%w: signature base too long", ErrMalformed)
		}
	}
	params, err := serializeInnerList(in.components, in.params)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(params)
	return []byte(b.String()), nil
}

// componentValue returns the value of one covered component. Component
// parameters other than @query-param's name (sf, key, bs, req, tr) are not
// supported.
func componentValue(r *http.Request, c sfItem, scheme string) (string, error) {
	name := c.value.(string)
	if name == "@query-param" {
		return queryParam(r, c)
	}
	if len(c.params) > 0 {
		return "", fmt.Errorf("%w: parameters on component %s are not supported", ErrMalformed, name)
	}
	target := requestTarget(r)
	path, query, _ := splitTarget(target)
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return scheme + "://" + normalizeAuthority(requestHost(r), scheme) + target, nil
	case "@authority":
		return normalizeAuthority(requestHost(r), scheme), nil
	case "@scheme":
		return scheme, nil
	case "@request-target":
		return target, nil
	case "@path":
		return path, nil
	case "@query":
		return "?" + query, nil
	case "host":
		if h := requestHost(r); h != "" {
			return h, nil
		}
		return "", fmt.Errorf("%w: no host", ErrMalformed)
	}
	if strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("%w: derived component %.64s", ErrMalformed, name)
	}
	v, ok, err := headerValue(r.Header, name)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
	}
	if !ok {
		return "", fmt.Errorf("%w: signed header %s is missing", ErrMalformed, name)
	}
	return v, nil
}

// queryParam returns the value of "@query-param";name="..." (RFC 9421
// §2.2.8): the query is parsed as application/x-www-form-urlencoded and
// names and values are compared and output re-encoded. A parameter that
// is absent or repeated is an error.
func queryParam(r *http.Request, c sfItem) (string, error) {
	want, ok := c.param("name").(string)
	if !ok || len(c.params) != 1 {
		return "", fmt.Errorf("%w: @query-param needs exactly a name parameter", ErrMalformed)
	}
	_, query, _ := splitTarget(requestTarget(r))
	var found []string
	for part := range strings.SplitSeq(query, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return "", fmt.Errorf("%w: query is not url-encoded", ErrMalformed)
		}
		if formEncode(dk) == want {
			found = append(found, formEncode(dv))
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%w: query parameter %.64q absent or repeated", ErrMalformed, want)
	}
	return found[0], nil
}

// formEncode percent-encodes like the WHATWG urlencoded serializer, except
// that a space becomes %20 (RFC 9421 §2.2.8).
func formEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || c == '*' || c == '-' || c == '.' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// SignRFC9421 signs req as RFC 9421, label "sig1". alg is AlgRSAv15SHA256
// for an RSA key, AlgEd25519 for an Ed25519 key, or "" to take the key's.
//
// It sets Host (req.Host), Date, and for a POST or a non-empty body
// Content-Digest: sha-256=:<base64>: (RFC 9530); body must be exactly the
// bytes req will send. The signature covers "@method" "@target-uri", plus
// "content-digest" and (when set) "content-type" for bodies, with the
// parameters created, keyid and alg: what Mastodon's verifier requires. A
// Digest header of an earlier cavage signature is removed.
func SignRFC9421(req *http.Request, body []byte, key crypto.Signer, keyID, alg string, now time.Time) error {
	if err := checkSignable(req, key, keyID); err != nil {
		return fmt.Errorf("httpsig: sign rfc9421: %w", err)
	}
	alg, err := rfc9421SignAlg(alg, key)
	if err != nil {
		return fmt.Errorf("httpsig: sign rfc9421: %w", err)
	}
	req.Host = requestHost(req)
	req.Header.Del("Digest")
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	in := &sigInput{label: Label, components: []sfItem{{value: "@method"}, {value: "@target-uri"}}}
	if needsBodyDigest(req.Method, body) {
		req.Header.Set("Content-Digest", "sha-256=:"+sha256Base64(body)+":")
		in.components = append(in.components, sfItem{value: "content-digest"})
		if req.Header.Get("Content-Type") != "" {
			in.components = append(in.components, sfItem{value: "content-type"})
		}
	}
	in.params = []sfParam{{"created", now.Unix()}, {"keyid", keyID}, {"alg", alg}}
	base, err := in.signatureBase(req, requestScheme(req, ""))
	if err != nil {
		return fmt.Errorf("httpsig: sign rfc9421: %w", err)
	}
	sig, err := signMessage(key, base)
	if err != nil {
		return fmt.Errorf("httpsig: sign rfc9421: %w", err)
	}
	list, err := serializeInnerList(in.components, in.params)
	if err != nil {
		return fmt.Errorf("httpsig: sign rfc9421: %w", err)
	}
	req.Header.Set("Signature-Input", Label+"="+list)
	req.Header.Set("Signature", Label+"=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}

// rfc9421SignAlg checks alg against the key and fills it in when empty.
func rfc9421SignAlg(alg string, key crypto.Signer) (string, error) {
	ks, err := keyScheme(key.Public())
	if err != nil {
		return "", err
	}
	name := map[scheme]string{schemeRSAPKCS1SHA256: AlgRSAv15SHA256, schemeEd25519: AlgEd25519}[ks]
	if alg == "" || alg == name {
		return name, nil
	}
	return "", fmt.Errorf("%w: cannot sign %.40q with a %T", ErrUnsupportedAlgorithm, alg, key.Public())
}
