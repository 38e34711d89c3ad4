package mastoapi

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

const importPath = "/api/v1/admin/domain_blocks/import"

// postCSV sends body to the import as ctype.
func postCSV(t *testing.T, e *testEnv, tok, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req := e.request(t, "POST", importPath, tok, nil)
	req.Body = http.NoBody
	if body != nil {
		req2, err := http.NewRequest("POST", req.URL.String(), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req2.Header = req.Header.Clone()
		req = req2
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	code, _, out := e.send(t, req)
	return code, out
}

// multipartCSV is a multipart form carrying csv as the file field data.
func multipartCSV(t *testing.T, csv string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("data", "blocks.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func blockedDomains(t *testing.T, e *testEnv, tok string) map[string]string {
	t.Helper()
	code, _, body := e.do(t, "GET", "/api/v1/admin/domain_blocks?limit=200", tok, nil)
	wantStatus(t, code, 200, body)
	out := map[string]string{}
	for _, b := range decode[[]struct {
		Domain   string `json:"domain"`
		Severity string `json:"severity"`
	}](t, body) {
		out[b.Domain] = b.Severity
	}
	return out
}

func TestDomainBlockImportAPI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	_, tok := e.user(t, "boss", "admin:read admin:write")
	_, modTok := e.user(t, "mod", "admin:read admin:write")
	_, weak := e.user(t, "weak", "admin:read")
	if err := e.svc.SetRole(ctx, "boss", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRole(ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRole(ctx, "weak", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	good := "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n" +
		"spam.example,suspend,true,false,Spam,false\nloud.example,silence,false,false,,false\n"

	// Admins only (moderators do not manage federation), and the scope counts.
	code, body := postCSV(t, e, modTok, "text/csv", []byte(good))
	wantStatus(t, code, 403, body)
	code, body = postCSV(t, e, weak, "text/csv", []byte(good))
	wantStatus(t, code, 403, body)

	// Bad files: a clear message naming the line, and nothing written.
	for _, c := range []struct {
		name, ctype, csv, want string
	}{
		{"an empty body", "text/csv", "", "request body (text/csv)"},
		{"no header", "text/csv", "spam.example,suspend\n", "line 1"},
		{"a bad severity", "text/csv", good + "x.example,obliterate,false,false,,false\n", "line 4: unknown severity"},
		{"a bad domain", "text/csv", good + "not a domain,suspend\n", "line 4"},
		{"a bad flag", "text/csv", good + "y.example,suspend,maybe,false,,false\n", "line 4: reject_media"},
		{"a repeated domain", "text/csv", good + "SPAM.example,noop,false,false,,false\n", "listed already on line 2"},
		{"an unterminated quote", "text/csv", good + "\"z.example,suspend\n", "line 4"},
		{"an image", "image/png", good, "unsupported content type"},
	} {
		code, body := postCSV(t, e, tok, c.ctype, []byte(c.csv))
		if code != 422 || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %s", c.name, code, body)
		}
		wantErrorEntity(t, c.name, routeSpec{}, code, body)
		if c.want != "request body (text/csv)" && c.ctype == "text/csv" {
			res := decode[DomainImportResult](t, body)
			if len(res.Errors) != 1 || res.Imported != 0 {
				t.Errorf("%s: result %+v", c.name, res)
			}
		}
	}
	if got := blockedDomains(t, e, tok); len(got) != 0 {
		t.Fatalf("a refused import wrote %v", got)
	}

	// The body itself.
	code, body = postCSV(t, e, tok, "text/csv; charset=utf-8", []byte(good))
	wantStatus(t, code, 200, body)
	if res := decode[DomainImportResult](t, body); res.Imported != 2 || res.Skipped != 0 || res.Added != 2 || res.Errors == nil || len(res.Errors) != 0 {
		t.Errorf("first import = %+v", res)
	}
	if got := blockedDomains(t, e, tok); got["spam.example"] != "suspend" || got["loud.example"] != "silence" || len(got) != 2 {
		t.Errorf("blocks = %v", got)
	}

	// A multipart file field: the same entries are skipped, a changed one updated.
	ctype, form := multipartCSV(t, strings.Replace(good, "loud.example,silence", "loud.example,noop", 1)+"new.example,suspend,false,false,,false\n")
	code, body = postCSV(t, e, tok, ctype, form)
	wantStatus(t, code, 200, body)
	if res := decode[DomainImportResult](t, body); res.Imported != 2 || res.Skipped != 1 || res.Updated != 1 || res.Added != 1 {
		t.Errorf("second import = %+v", res)
	}
	if got := blockedDomains(t, e, tok); got["loud.example"] != "noop" || got["new.example"] != "suspend" {
		t.Errorf("blocks = %v", got)
	}

	// A JSON body with data, and a wrong shape.
	code, _, body = e.do(t, "POST", importPath, tok, map[string]any{"data": "#domain\nthird.example\n"})
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "POST", importPath, tok, `{"data": ["third.example"]}`)
	wantStatus(t, code, 422, body)
}
