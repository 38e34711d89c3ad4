package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Canaries is what WriteCanaries wrote.
type Canaries struct {
	// Secret holds one marker per field that must be encrypted at rest; none
	// may appear in the database's files or columns.
	Secret map[string]string
	// Clear holds markers stored in clear on purpose (a username): finding
	// them proves that a scan sees the data it scans.
	Clear []string
	// Owner is the account that owns every secret; StatusID is its status.
	Owner    *model.Account
	StatusID int64
}

// WriteCanaries writes a distinct marker into every personal field the
// store seals: display name, bio, profile fields, email, sign-up reason,
// status text, content, content warning, tag and mention, edit history, a
// private note, a report's comment and an export archive. A raw scan of the store's files must find none of them.
func WriteCanaries(tb testing.TB, h Harness) Canaries {
	tb.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	run := hex.EncodeToString(b)
	mark := func(field string) string { return "canary" + field + run }
	c := Canaries{Secret: map[string]string{}}
	for _, f := range []string{"displayname", "bio", "fieldname", "fieldvalue", "email", "reason", "text",
		"content", "cw", "tag", "edittext", "editcontent", "editcw", "note", "mentionacct", "reportcomment", "exportarchive"} {
		c.Secret[f] = mark(f)
	}
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	other := &model.Account{Username: "other" + run}
	must(h.Store.CreateLocalAccount(ctx, other, &model.User{Role: model.RoleUser}))
	s := c.Secret
	c.Owner = &model.Account{Username: "clearuser" + run, DisplayName: s["displayname"], Note: s["bio"],
		Fields: []model.Field{{Name: s["fieldname"], Value: s["fieldvalue"]}}}
	c.Clear = []string{c.Owner.Username}
	must(h.Store.CreateLocalAccount(ctx, c.Owner, &model.User{Role: model.RoleUser, Email: s["email"],
		EmailHash: []byte("h" + run), Reason: s["reason"]}))
	st := &model.Status{AccountID: c.Owner.ID, Text: s["text"], Content: "<p>" + s["content"] + "</p>",
		SpoilerText: s["cw"], Visibility: model.VisibilityDirect, Tags: []string{s["tag"]},
		Mentions: []model.Mention{{AccountID: other.ID, Username: other.Username, Acct: s["mentionacct"]}}}
	must(h.Store.CreateStatus(ctx, st))
	c.StatusID = st.ID
	prev := &model.StatusEdit{Text: s["edittext"], Content: s["editcontent"], SpoilerText: s["editcw"]}
	st.Text = s["text"] + "v2"
	must(h.Store.EditStatus(ctx, st, prev))
	must(h.Store.SetNote(ctx, c.Owner.ID, other.ID, s["note"]))
	must(h.Store.CreateReports(ctx, []*store.Report{{AccountID: c.Owner.ID, TargetAccountID: other.ID,
		StatusIDs: []int64{st.ID}, Comment: s["reportcomment"], Category: store.ReportOther}}))
	exp := &store.Export{AccountID: c.Owner.ID, ExpiresAt: time.Now().Add(24 * time.Hour)}
	must(h.Store.CreateExport(ctx, exp))
	must(h.Store.FinishExport(ctx, exp.ID, []byte("archive "+s["exportarchive"]), time.Now()))
	return c
}
