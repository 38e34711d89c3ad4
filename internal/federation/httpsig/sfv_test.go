package httpsig

import (
	"strings"
	"testing"
)

func TestSFDictionaryRoundTrip(t *testing.T) {
	// Canonical inputs serialize back to themselves.
	canonical := []string{
		`a=1, b=-42, c=1.5, d="x \"q\" \\", e=tok/en:x, f=:AQID:, g=?0, h`,
		`sig=("@method" "@query-param";name="a" "x-h";bs);created=1618884473;keyid="k";flag`,
		`a=();p=?0, b=(1 2.25 "s" *t);q`,
	}
	for _, in := range canonical {
		members, err := parseSFDictionary(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := serializeDict(t, members); got != in {
			t.Errorf("round trip\n%s\n%s", in, got)
		}
	}
	// Non-canonical but valid inputs.
	for in, want := range map[string]string{
		`  a=1 ,	b=2`: `a=1, b=2`,
		`a=:AQI:`:     `a=:AQI=:`,
		`a=1.500`:     `a=1.5`,
		`a=( 1  2 )`:  `a=(1 2)`,
		`a;x=?1`:      `a;x`,
		`a=1;  b=2`:   `a=1;b=2`,
		`key-._*x=*`:  `key-._*x=*`,
	} {
		members, err := parseSFDictionary(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := serializeDict(t, members); got != want {
			t.Errorf("%s -> %s, want %s", in, got, want)
		}
	}
}

func serializeDict(t *testing.T, members []sfMember) string {
	t.Helper()
	var parts []string
	for _, m := range members {
		var s string
		var err error
		switch {
		case m.isList:
			s, err = serializeInnerList(m.list, m.item.params)
			s = m.key + "=" + s
		case m.item.value == true:
			var b strings.Builder
			err = writeParams(&b, m.item.params)
			s = m.key + b.String()
		default:
			s, err = serializeItem(m.item)
			s = m.key + "=" + s
		}
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func TestSFDictionaryErrors(t *testing.T) {
	for _, in := range []string{
		`A=1`, `a=`, `a=1,`, `a=1,,b=2`, `a=1 b=2`, `a="unterminated`, `a="bad\q"`, "a=\"tab\t\"",
		`a=:not base64!:`, `a=:AQID`, `a=?2`, `a=1234567890123456`, `a=1234567890123.5`, `a=1.2345`, `a=1.`,
		`a=-`, `a=(1 2`, `a=(1;x=(2))`, `a=1, a=2`, `a;x;x`, `a=@123`, `a=%"x"`, `a=(1)(2)`,
		strings.Repeat("a=1, ", maxSFMembers) + "zz=1",
	} {
		if _, err := parseSFDictionary(in); err == nil {
			t.Errorf("accepted %q", in)
		}
	}
}
