package openapi

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// applyQuirks patches the places where the schema (abraham/mastodon-openapi
// at 89b11e7, Mastodon 4.7.0) disagrees with what Mastodon sends. Each patch
// is narrow: one operation and status, or one documented fallback.
//
//  1. Error statuses the schema leaves out. Operations list only some of
//     401/403/404/410/422/429/503; none lists 400, most lack 403, yet
//     Mastodon answers a bad parameter with 400 and a missing scope with
//     403, always with the Error entity {"error": "..."}. An undocumented
//     status >= 400 is therefore checked against the Error entity. An
//     undocumented 2xx/3xx is still reported.
//  2. GET /api/v1/preferences 200 documents no body ("Preferences by key
//     and value"), though the Preferences entity exists and Mastodon sends it.
//  3. DELETE /api/v1/statuses/{id} 200 is the Status entity, whose schema
//     requires "content". Mastodon deletes with source_requested, which sends
//     "text" (the source, for redrafting) instead of "content".
//  4. GET /oauth/userinfo 200 documents no body, yet Mastodon sends the
//     OpenID Connect claims as a JSON object (iss, sub, name,
//     preferred_username, profile, picture).
//  5. Every documented 422 is a ValidationError, which requires "details".
//     Mastodon sends details only for a rejected record (a sign-up); the
//     other 422s, such as require_user!'s "This method requires an
//     authenticated user", are the plain Error entity.
//
// Not patched, but worth knowing when a check fails:
//   - Application and CredentialApplication require "vapid_key" (deprecated
//     in Mastodon, still sent): send it.
//   - The "email" format of Instance.contact.email and V1Instance.email is
//     not checked, because Mastodon sends "" when no address is set.
//   - POST /oauth/authorize (the consent form) is not in the schema; it
//     answers with HTML or a redirect, which Transport does not check.
func (v *Validator) applyQuirks() error {
	schemas := v.doc.Components.Schemas
	component := func(name string) (*openapi3.Schema, error) {
		ref, ok := schemas[name]
		if !ok || ref.Value == nil {
			return nil, fmt.Errorf("component schema %q is missing", name)
		}
		return ref.Value, nil
	}
	var err error
	if v.errorSchema, err = component("Error"); err != nil {
		return err
	}
	prefs, err := component("Preferences")
	if err != nil {
		return err
	}
	status, err := component("Status")
	if err != nil {
		return err
	}
	deleted := *status // a shallow copy: only Required changes
	deleted.Required = slices.DeleteFunc(slices.Clone(status.Required), func(s string) bool { return s == "content" })
	deleted.Required = append(deleted.Required, "text")
	validation, err := component("ValidationError")
	if err != nil {
		return err
	}
	validation.Required = slices.DeleteFunc(slices.Clone(validation.Required), func(s string) bool { return s == "details" })
	v.patched = map[string]*openapi3.Schema{
		patchKey("GET", "/api/v1/preferences", 200):      prefs,
		patchKey("DELETE", "/api/v1/statuses/{id}", 200): &deleted,
		patchKey("GET", "/oauth/userinfo", 200):          userinfoSchema(),
	}
	return nil
}

// userinfoSchema is the OpenID Connect claims Mastodon's userinfo sends.
func userinfoSchema() *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	for _, claim := range []string{"iss", "sub", "name", "preferred_username", "profile", "picture"} {
		s.WithProperty(claim, openapi3.NewStringSchema())
	}
	s.Required = []string{"iss", "sub"}
	return s
}
