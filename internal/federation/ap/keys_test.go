package ap

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/federation/httpsig"
)

// The Ed25519 example from FEP-521a's test scenarios.
func TestMultikeyFEP521aVector(t *testing.T) {
	raw, _ := hex.DecodeString("2e6fcce36701dc791488e0d0b1745cc1e33a4c1c9fcc41c63bd343dbbe0970e6")
	mk := NewMultikey("https://server.example/users/alice#ed25519-key", "https://server.example/users/alice", raw)
	if want := "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"; mk.PublicKeyMultibase != want {
		t.Fatalf("multibase = %s, want %s", mk.PublicKeyMultibase, want)
	}
	back, err := mk.Ed25519()
	if err != nil || !back.Equal(ed25519.PublicKey(raw)) {
		t.Fatalf("Ed25519() = %x, %v", back, err)
	}
}

func TestMultikeyRejects(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := httpsig.EncodeMultikey(&priv.PublicKey) // a valid multikey, but not Ed25519
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "6Mk", "z0OIl", "z", "z6Mk", rsaKey} {
		if _, err := (Multikey{PublicKeyMultibase: s}).Ed25519(); !errors.Is(err, ErrBadKey) {
			t.Errorf("%q: err = %v", s, err)
		}
	}
}

func TestPublicKeyPEM(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewPublicKey("https://r.example/users/a#main-key", "https://r.example/users/a", &priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := k.RSA()
	if err != nil || !pub.Equal(&priv.PublicKey) {
		t.Fatalf("RSA() = %v", err)
	}
	pkcs1 := PublicKey{PEM: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&priv.PublicKey)}))}
	if pub, err := pkcs1.RSA(); err != nil || !pub.Equal(&priv.PublicKey) {
		t.Errorf("PKCS #1 key: %v", err)
	}
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(edPub)
	for name, p := range map[string]string{
		"empty":      "",
		"garbage":    "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n",
		"wrong type": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"not rsa":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
		"bad pkcs1":  string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: []byte{1, 2}})),
		"bad pkix":   string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2}})),
	} {
		if _, err := (PublicKey{PEM: p}).RSA(); !errors.Is(err, ErrBadKey) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
