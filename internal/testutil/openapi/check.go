package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxProblems bounds how many schema errors one response reports.
const maxProblems = 20

// CheckResponse validates one response of method and path (a concrete path
// such as /api/v1/statuses/123; a query string is ignored) against the
// schema. It reports through t.Errorf, naming the field, when the body does
// not match, and also when the schema has no such operation or does not
// document the status, so that nothing passes unvalidated.
//
// A header without Content-Type means the body is taken to be JSON. A
// non-JSON body is accepted only where the schema documents no JSON body
// (for example the HTML of GET /oauth/authorize).
func (v *Validator) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	problems := v.check(method, path, status, header, body)
	switch len(problems) {
	case 0:
	case 1:
		t.Errorf("openapi: %s %s -> %d: %s", method, path, status, problems[0])
	default:
		t.Errorf("openapi: %s %s -> %d:\n\t%s", method, path, status, strings.Join(problems, "\n\t"))
	}
}

// check returns the problems found with one response, nil when it is valid.
func (v *Validator) check(method, path string, status int, header http.Header, body []byte) []string {
	r, ok := v.match(method, path)
	if !ok {
		return []string{"no such operation in the Mastodon schema"}
	}
	schema, documented := v.bodySchema(r, status)
	if !documented {
		return []string{fmt.Sprintf("status %d is not documented for %s %s", status, r.method, r.template)}
	}
	ct := header.Get("Content-Type")
	isJSON := ct == "" || jsonMediaType(ct)
	if schema == nil {
		// The spec documents this status without a body ("Empty");
		// Mastodon then sends nothing or {}.
		if !isJSON || isEmptyBody(body) {
			return nil
		}
		return []string{fmt.Sprintf("schema documents no body for %s %s %d, got %s (add a patch in quirks.go if Mastodon sends one)", r.method, r.template, status, short(body))}
	}
	if !isJSON {
		return []string{fmt.Sprintf("schema expects application/json, got Content-Type %q", ct)}
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return []string{fmt.Sprintf("body is not valid JSON (%v): %s", err, short(body))}
	}
	return describe(schema.VisitJSON(value, validationOptions...))
}

// bodySchema finds the JSON body schema for a status of r. documented is
// false when neither the schema nor a patch covers the status; a nil schema
// with documented true means the status has no body.
func (v *Validator) bodySchema(r route, status int) (schema *openapi3.Schema, documented bool) {
	if s, ok := v.patched[patchKey(r.method, r.template, status)]; ok {
		return s, true
	}
	resp := r.op.Responses.Value(strconv.Itoa(status))
	if resp == nil {
		resp = r.op.Responses.Value(strconv.Itoa(status/100) + "XX")
	}
	if resp == nil {
		resp = r.op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		if status >= 400 {
			return v.errorSchema, true // see quirks.go
		}
		return nil, false
	}
	for mt, content := range resp.Value.Content {
		if jsonMediaType(mt) && content.Schema != nil {
			return content.Schema.Value, true
		}
	}
	return nil, true
}

func patchKey(method, template string, status int) string {
	return method + " " + template + " " + strconv.Itoa(status)
}

func jsonMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func isEmptyBody(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || bytes.Equal(b, []byte("{}"))
}

// languagePattern accepts the language codes Mastodon sends for the custom
// "iso-639-1" format: ISO 639-1 and 639-3 codes, optionally with a region
// or script (zh-TW, sr-Latn).
var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

var validationOptions = []openapi3.SchemaValidationOption{
	openapi3.MultiErrors(),
	openapi3.VisitAsResponse(),
	// Per-validation formats, so the package-global kin-openapi registry
	// is left alone. "email" stays unchecked: Mastodon sends "" when no
	// contact address is set.
	openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
		"uri":       openapi3.NewCallbackValidator(absoluteURI),
		"iso-639-1": openapi3.NewRegexpFormatValidator(languagePattern.String()),
	}),
}

// absoluteURI holds URLs to what clients need: a scheme and, for web URLs,
// a host. A relative avatar path breaks every Mastodon app.
func absoluteURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URI: %w", err)
	}
	if u.Scheme == "" {
		return errors.New("not an absolute URI")
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return errors.New("web URI without a host")
	}
	return nil
}

// describe flattens a kin-openapi validation error into one line per field.
func describe(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	collect(err, "", &out)
	if len(out) > maxProblems {
		out = append(out[:maxProblems], fmt.Sprintf("... and %d more", len(out)-maxProblems))
	}
	return out
}

func collect(err error, indent string, out *[]string) {
	se, ok := err.(*openapi3.SchemaError)
	if !ok {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				collect(e, indent, out)
			}
			return
		}
		*out = append(*out, indent+err.Error())
		return
	}
	if isNullBranch(se) {
		return // the {"type": "null"} branch of a nullable oneOf: noise
	}
	line := fmt.Sprintf("%sat /%s: %s", indent, strings.Join(se.JSONPointer(), "/"), se.Reason)
	ptr := se.JSONPointer()
	switch {
	case se.SchemaField == "required":
	case len(ptr) > 0 && secretKeys[ptr[len(ptr)-1]]:
		line += " (got [redacted])"
	default:
		line += " (got " + shortValue(se.Value) + ")"
	}
	*out = append(*out, line)
	// For oneOf/anyOf/allOf, say why each branch failed.
	var branches openapi3.MultiError
	if se.Origin != nil && errors.As(se.Origin, &branches) {
		for _, e := range branches {
			collect(e, indent+"  ", out)
		}
	}
}

func isNullBranch(se *openapi3.SchemaError) bool {
	if se.Schema == nil || se.Schema.Type == nil {
		return false
	}
	types := se.Schema.Type.Slice()
	return len(types) == 1 && types[0] == "null"
}

func shortValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return short(b)
}

// secretKeys are fields whose values never appear in a report, even in
// tests: CI logs are kept.
var secretKeys = map[string]bool{
	"access_token": true, "refresh_token": true, "client_secret": true,
	"code": true, "password": true, "vapid_key": true,
}

var secretPattern = regexp.MustCompile(`"(access_token|refresh_token|client_secret|code|password|vapid_key)"\s*:\s*"[^"]*"`)

// short returns b for a report, with secret values redacted and cut to a
// readable length.
func short(b []byte) string {
	const max = 120
	b = secretPattern.ReplaceAll(b, []byte(`"$1":"[redacted]"`))
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
