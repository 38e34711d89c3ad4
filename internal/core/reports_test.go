package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// reportEvents returns the EventReportForwarded events published.
func (e *inboxEnv) reportEvents() []Event {
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	var out []Event
	for _, ev := range e.pub.events {
		if ev.Kind == EventReportForwarded {
			out = append(out, ev)
		}
	}
	return out
}

// allReports lists every open report, as the owner would.
func (e *inboxEnv) allReports() []*store.Report {
	e.t.Helper()
	rs, err := e.s.store.Reports(e.ctx, store.ReportFilter{}, store.Page{Limit: 40})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func TestCreateReport(t *testing.T) {
	e := newInboxEnv(t)
	carol := mustCreateUser(t, e.s, "carol")
	me := &Auth{Account: e.alice}
	carolPublic, _ := e.post(carol, model.VisibilityPublic)
	carolPrivate, _ := e.post(carol, model.VisibilityPrivate)
	alicePost, _ := e.post(e.alice, model.VisibilityPublic)
	e.mustRecv(e.bob, createNote("https://remote.example/notes/1", apPublic, "", ""))
	bobNote, err := e.s.store.StatusByURI(e.ctx, "https://remote.example/notes/1")
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		in   NewReport
		want error
	}{
		{"oneself", NewReport{TargetID: e.alice.ID}, model.ErrInvalid},
		{"unknown account", NewReport{TargetID: 424242}, model.ErrNotFound},
		{"a status the reporter cannot see", NewReport{TargetID: carol.ID, StatusIDs: []int64{carolPrivate.ID}}, model.ErrNotFound},
		{"another account's status", NewReport{TargetID: carol.ID, StatusIDs: []int64{alicePost.ID}}, model.ErrNotFound},
		{"an overlong comment", NewReport{TargetID: carol.ID, Comment: strings.Repeat("x", MaxReportComment+1)}, model.ErrInvalid},
		{"a NUL in the comment", NewReport{TargetID: carol.ID, Comment: "a\x00b"}, model.ErrInvalid},
		{"an unknown category", NewReport{TargetID: carol.ID, Category: "rude"}, model.ErrInvalid},
		{"an unknown rule", NewReport{TargetID: carol.ID, RuleIDs: []int64{99}}, model.ErrInvalid},
		{"rules outside violation", NewReport{TargetID: carol.ID, Category: "spam", RuleIDs: []int64{1}}, model.ErrInvalid},
	} {
		if _, err := e.s.CreateReport(e.ctx, me, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if rs := e.allReports(); len(rs) != 0 {
		t.Fatalf("refused reports were written: %+v", rs)
	}

	// A local account: never forwarded, whatever was asked.
	v, err := e.s.CreateReport(e.ctx, me, NewReport{TargetID: carol.ID, StatusIDs: []int64{carolPublic.ID, carolPublic.ID},
		Comment: strings.Repeat("é", MaxReportComment), Forward: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Report; r.Forwarded || r.Category != store.ReportOther || len(r.StatusIDs) != 1 || v.Target.ID != carol.ID ||
		len(v.Statuses) != 1 || v.Statuses[0].Status.ID != carolPublic.ID {
		t.Errorf("local report %+v", r)
	}
	if evs := e.reportEvents(); len(evs) != 0 {
		t.Errorf("a local report published %v", evs)
	}

	// A remote account with forward: an event with ids only.
	v, err = e.s.CreateReport(e.ctx, me, NewReport{TargetID: e.bob.ID, StatusIDs: []int64{bobNote.ID},
		Comment: "secret words", Forward: true})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Report.Forwarded {
		t.Errorf("remote report not forwarded: %+v", v.Report)
	}
	events := e.reportEvents()
	if len(events) != 1 || events[0].Kind != EventReportForwarded || events[0].ReportID != v.Report.ID ||
		events[0].ActorID != e.alice.ID || events[0].TargetID != e.bob.ID {
		t.Fatalf("events %+v", events)
	}
	f, err := e.s.DeliveryReport(e.ctx, v.Report.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Target.URI != bobURI || len(f.StatusURIs) != 1 || f.StatusURIs[0] != "https://remote.example/notes/1" ||
		f.Comment != "secret words" || f.SharedInbox == "" {
		t.Errorf("delivery report %+v", f)
	}
	// Not forwarded: nothing to deliver.
	unfwd, err := e.s.CreateReport(e.ctx, me, NewReport{TargetID: e.bob.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.DeliveryReport(e.ctx, unfwd.Report.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("delivery of an unforwarded report: %v", err)
	}
	if evs := e.reportEvents(); len(evs) != 1 {
		t.Errorf("an unforwarded report published: %v", evs)
	}
}

func TestAdminReports(t *testing.T) {
	e := newInboxEnv(t)
	carol := mustCreateUser(t, e.s, "carol")
	mod := mustCreateUser(t, e.s, "mod")
	if err := e.s.SetRole(e.ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	modUser, err := e.s.store.User(e.ctx, mod.ID)
	if err != nil {
		t.Fatal(err)
	}
	staff := &Auth{Account: mod, User: modUser}
	plain := &Auth{Account: e.alice, User: &model.User{AccountID: e.alice.ID, Role: model.RoleUser}}
	v, err := e.s.CreateReport(e.ctx, &Auth{Account: e.alice}, NewReport{TargetID: carol.ID, Comment: "rude"})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Report.ID

	if _, err := e.s.AdminReports(e.ctx, plain, store.ReportFilter{}, store.Page{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a user listed reports: %v", err)
	}
	if _, err := e.s.AdminReport(e.ctx, plain, id); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a user read a report: %v", err)
	}
	if _, err := e.s.ResolveReport(e.ctx, plain, id, true); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a user resolved a report: %v", err)
	}
	l, err := e.s.AdminReports(e.ctx, staff, store.ReportFilter{}, store.Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].Report.Comment != "rude" || l.Items[0].Users[e.alice.ID] == nil {
		t.Fatalf("staff listing %+v, %v", l, err)
	}
	r, err := e.s.ResolveReport(e.ctx, staff, id, true)
	if err != nil || r.Report.ActionTakenAt == nil || r.ActionTakenBy == nil || r.ActionTakenBy.ID != mod.ID {
		t.Fatalf("resolve %+v, %v", r, err)
	}
	if l, _ := e.s.AdminReports(e.ctx, staff, store.ReportFilter{}, store.Page{}); len(l.Items) != 0 {
		t.Errorf("resolved report still open")
	}
	r, err = e.s.ResolveReport(e.ctx, staff, id, false)
	if err != nil || r.Report.ActionTakenAt != nil || r.ActionTakenBy != nil {
		t.Fatalf("reopen %+v, %v", r, err)
	}
	if _, err := e.s.ResolveReport(e.ctx, staff, 424242, true); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("resolving a missing report: %v", err)
	}
}

// flagJSON is a Flag by bob with objects (JSON values) and content.
func flagJSON(id, objects, content string) string {
	return `{"type":"Flag","id":"` + id + `","actor":"` + bobURI + `","object":[` + objects + `],"content":` + content + `}`
}

func TestInboxFlag(t *testing.T) {
	e := newInboxEnv(t)
	carol := mustCreateUser(t, e.s, "carol")
	alicePost, alicePostIRI := e.post(e.alice, model.VisibilityPrivate)
	_, carolPostIRI := e.post(carol, model.VisibilityPublic)
	objects := `"` + aliceIRI + `","` + alicePostIRI + `","` + carolPostIRI + `","` + malURI + `",
		"https://roost.test/users/nobody","https://roost.test/users/alice/statuses/999","not a url",{"id":"https://roost.test/users/carol","type":"Person"}`
	flag := flagJSON("https://remote.example/flags/1", objects, `"Spam\u0007 from here\nsee"`)
	e.mustRecv(e.bob, flag)
	rs := e.allReports()
	if len(rs) != 2 {
		t.Fatalf("reports %+v, want one about alice and one about carol", rs)
	}
	byTarget := map[int64]*store.Report{}
	for _, r := range rs {
		byTarget[r.TargetAccountID] = r
		if r.AccountID != e.bob.ID || r.URI != "https://remote.example/flags/1" || r.Comment != "Spam from here\nsee" ||
			r.Category != store.ReportOther || r.Forwarded {
			t.Errorf("report %+v", r)
		}
	}
	if r := byTarget[e.alice.ID]; r == nil || len(r.StatusIDs) != 1 || r.StatusIDs[0] != alicePost.ID {
		t.Errorf("alice's report %+v", r)
	}
	// carol is named by an embedded object; her status goes with her.
	if r := byTarget[carol.ID]; r == nil || len(r.StatusIDs) != 1 {
		t.Errorf("carol's report %+v", r)
	}

	// The same Flag again: nothing more.
	e.mustRecv(e.bob, flag)
	if rs := e.allReports(); len(rs) != 2 {
		t.Errorf("a repeated Flag made %d reports", len(rs))
	}

	// A status whose author is not named is dropped; only other servers'
	// accounts: nothing.
	e.mustRecv(e.bob, flagJSON("https://remote.example/flags/2", `"`+malURI+`","https://elsewhere.example/users/x"`, `"x"`))
	e.mustRecv(e.bob, flagJSON("https://remote.example/flags/3", `"`+carolPostIRI+`"`, `"x"`))
	if rs := e.allReports(); len(rs) != 2 {
		t.Errorf("Flags naming no local account made reports: %d", len(rs))
	}
}

func TestInboxHostileFlag(t *testing.T) {
	e := newInboxEnv(t)
	many := strings.Repeat(`"`+aliceIRI+`",`, MaxFlagObjects) + `"` + aliceIRI + `"`
	for _, c := range []struct {
		name, body string
	}{
		{"an oversized comment", flagJSON("https://remote.example/flags/big", `"`+aliceIRI+`"`,
			`"`+strings.Repeat("x", MaxRemoteReportComment+1)+`"`)},
		{"no id", `{"type":"Flag","actor":"` + bobURI + `","object":"` + aliceIRI + `"}`},
		{"too many objects", flagJSON("https://remote.example/flags/many", many, `"x"`)},
		{"no object", `{"type":"Flag","id":"https://remote.example/flags/none","actor":"` + bobURI + `"}`},
	} {
		if err := e.recv(e.bob, c.body); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v, want invalid", c.name, err)
		}
	}
	if err := e.recv(e.bob, flagJSON("https://evil.example/flags/1", `"`+aliceIRI+`"`, `"x"`)); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a Flag whose id is on another host: %v, want forbidden", err)
	}
	if rs := e.allReports(); len(rs) != 0 {
		t.Fatalf("hostile Flags wrote %+v", rs)
	}

	// A domain that rejects reports: dropped.
	if _, err := e.s.AddDomainBlock(e.ctx, store.DomainBlock{Domain: "remote.example", Severity: store.SeverityNoop,
		RejectReports: true}, false); err != nil {
		t.Fatal(err)
	}
	e.mustRecv(e.bob, flagJSON("https://remote.example/flags/ok", `"`+aliceIRI+`"`, `"x"`))
	if rs := e.allReports(); len(rs) != 0 {
		t.Errorf("a Flag from a domain rejecting reports wrote %+v", rs)
	}
}
