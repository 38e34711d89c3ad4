package httpsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
)

func pemText(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestParsePublicKeyPEM(t *testing.T) {
	rsaPub := &rsaKey(0).PublicKey
	pkix, _ := x509.MarshalPKIXPublicKey(rsaPub)
	edPub := edKey(0).Public().(ed25519.PublicKey)
	edPKIX, _ := x509.MarshalPKIXPublicKey(edPub)
	for name, text := range map[string]string{
		"PKIX RSA":             pemText("PUBLIC KEY", pkix),
		"PKCS1 RSA":            pemText("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(rsaPub)),
		"CRLF and blank lines": "\r\n" + strings.ReplaceAll(pemText("PUBLIC KEY", pkix), "\n", "\r\n") + "\r\n\r\n",
	} {
		pub, err := ParsePublicKeyPEM(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !rsaPub.Equal(pub) {
			t.Fatalf("%s: different key", name)
		}
	}
	pub, err := ParsePublicKeyPEM(pemText("PUBLIC KEY", edPKIX))
	if err != nil || !edPub.Equal(pub) {
		t.Fatalf("Ed25519: %v", err)
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecPKIX, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	small := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 511), E: 65537}
	small.N.Add(small.N, big.NewInt(1))
	bad := map[string]struct {
		text string
		want error
	}{
		"empty":         {"", ErrInvalidKey},
		"not PEM":       {"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", ErrInvalidKey},
		"certificate":   {pemText("CERTIFICATE", pkix), ErrInvalidKey},
		"private key":   {pemText("PRIVATE KEY", pkix), ErrInvalidKey},
		"garbage DER":   {pemText("PUBLIC KEY", []byte("nonsense")), ErrInvalidKey},
		"trailing data": {pemText("PUBLIC KEY", pkix) + "junk", ErrInvalidKey},
		"two blocks":    {pemText("PUBLIC KEY", pkix) + pemText("PUBLIC KEY", pkix), ErrInvalidKey},
		"512-bit RSA":   {pemText("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(small)), ErrInvalidKey},
		"huge":          {strings.Repeat("A", maxPEMBytes+1), ErrInvalidKey},
		"ECDSA":         {pemText("PUBLIC KEY", ecPKIX), ErrUnsupportedAlgorithm},
	}
	for name, tc := range bad {
		_, err := ParsePublicKeyPEM(tc.text)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantErr(t, err, tc.want)
	}
}

func TestMultikey(t *testing.T) {
	edPub := edKey(0).Public().(ed25519.PublicKey)
	s, err := EncodeMultikey(edPub)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "z6Mk") { // every ed25519-pub multikey starts so
		t.Fatalf("Ed25519 multikey %s", s)
	}
	back, err := ParseMultikey(s)
	if err != nil || !edPub.Equal(back) {
		t.Fatalf("round trip: %v", err)
	}

	rsaPub := &rsaKey(0).PublicKey
	s, err = EncodeMultikey(rsaPub)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "z4MX") { // 2048-bit rsa-pub multikeys start so (as did:key RSA keys)
		t.Fatalf("RSA multikey %s", s)
	}
	back, err = ParseMultikey(s)
	if err != nil || !rsaPub.Equal(back) {
		t.Fatalf("RSA round trip: %v", err)
	}

	// The did:key specification's example key, with its published JWK x.
	const didKey = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	pub, err := ParseMultikey(didKey)
	if err != nil {
		t.Fatal(err)
	}
	if x := base64.RawURLEncoding.EncodeToString(pub.(ed25519.PublicKey)); x != "Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY" {
		t.Fatalf("did:key example decodes to x=%s", x)
	}
	if again, _ := EncodeMultikey(pub); again != didKey {
		t.Fatalf("re-encoded %s", again)
	}

	short, _ := EncodeMultikey(edPub)
	for name, s := range map[string]string{
		"empty":          "",
		"no multibase":   "6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		"base64 prefix":  "m7QE",
		"bad base58":     "z6Mk0OIl",
		"truncated":      short[:len(short)-3],
		"unknown codec":  "z" + base58Encode(append([]byte{0xe7, 0x01}, make([]byte, 33)...)),
		"too long":       "z" + strings.Repeat("2", maxMultikeyLen),
		"bad rsa der":    "z" + base58Encode(append([]byte{0x85, 0x24}, 1, 2, 3)),
		"ed25519 longer": "z" + base58Encode(append([]byte{0xed, 0x01}, make([]byte, 33)...)),
	} {
		if _, err := ParseMultikey(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := EncodeMultikey("not a key"); err == nil {
		t.Error("EncodeMultikey accepted a string")
	}
}

func TestBase58(t *testing.T) {
	// Vectors from draft-msporny-base58.
	cases := map[string]string{
		"Hello World!": "2NEpo7TZRRrLZSi2U",
		"The quick brown fox jumps over the lazy dog.": "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
		"\x00\x00\x28\x7f\xb4\xcd":                     "11233QC4",
		"":                                             "",
	}
	for in, want := range cases {
		if got := base58Encode([]byte(in)); got != want {
			t.Errorf("encode %q = %s, want %s", in, got, want)
		}
		got, err := base58Decode(want)
		if err != nil || !bytes.Equal(got, []byte(in)) {
			t.Errorf("decode %s = %q, %v", want, got, err)
		}
	}
}
