package federation

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestReportForwarding: a forwarded report goes to the reported account's
// inbox as Mastodon's Flag, from the instance actor and signed with its
// key, rebuilt from the store with the comment the job never carries.
func TestReportForwarding(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	bob, err := e.svc.ResolveActor(ctx, e.bob.id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.CreateReport(ctx, &core.Auth{Account: e.alice}, core.NewReport{TargetID: bob.ID,
		Comment: "spam, forwarded", Forward: true})
	if err != nil {
		t.Fatal(err)
	}
	if e.ev.count(core.EventReportForwarded) != 1 {
		t.Fatalf("no forward event")
	}
	p := NewPublisher(e.svc, nil)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	a := DeliverArgs{FanoutArgs: FanoutArgs{Event: core.EventReportForwarded, ActorID: e.alice.ID, TargetID: bob.ID,
		ReportID: v.Report.ID, Nonce: 42}}
	boxes, err := p.recipients(ctx, a.FanoutArgs)
	if err != nil || !slices.Equal(boxes, []string{e.bob.id + "/inbox"}) {
		t.Fatalf("recipients %v, %v", boxes, err)
	}
	acct, err := e.svc.DeliveryAccount(ctx, e.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	act, err := d.activity(ctx, acct, a)
	if err != nil {
		t.Fatal(err)
	}
	const instance = "https://roost.test/actor"
	if act.Type != ap.TypeFlag || act.ActorIRI() != instance || act.ID != instance+"#reports/"+model.FormatID(v.Report.ID) ||
		act.Content != "spam, forwarded" || len(act.Object) != 1 || act.ObjectIRI() != e.bob.id {
		t.Errorf("Flag %+v", act)
	}
	body, err := ap.Marshal(act)
	if err != nil || strings.Contains(string(body), "alice") {
		t.Errorf("the Flag names the reporter or does not encode: %s, %v", body, err)
	}
	owner, keyID := d.signerOf(acct, a)
	if owner != 0 || keyID != instance+"#main-key" {
		t.Errorf("Flag signed by %d with %s, want the instance actor", owner, keyID)
	}
	if owner, keyID := d.signerOf(acct, DeliverArgs{FanoutArgs: FanoutArgs{Event: core.EventFollowed}}); owner != acct.ID ||
		keyID != "https://roost.test/users/alice#main-key" {
		t.Errorf("a Follow signed by %d with %s", owner, keyID)
	}
}

// TestInboxHTTPFlag: a Flag through the HTTP inbox; a hostile one is
// refused (400, or 202 for an id on another host) and writes nothing, a
// good one makes the report.
func TestInboxHTTPFlag(t *testing.T) {
	e := newInboxEnv(t)
	owner := &core.Auth{User: &model.User{Role: model.RoleOwner}}
	flag := func(id, content string) string {
		return `{"@context":"https://www.w3.org/ns/activitystreams","type":"Flag","id":"` + id + `","actor":"` + e.bob.id +
			`","object":["https://roost.test/users/alice","https://elsewhere.example/users/x"],"content":"` + content + `"}`
	}
	e.want(t, e.post(t, "/inbox", e.bob, flag("https://remote.example/flags/big", strings.Repeat("x", core.MaxRemoteReportComment+1)),
		httpsig.ModeRFC9421), 400, "an oversized Flag")
	e.want(t, e.post(t, "/inbox", e.bob, flag("https://evil.example/flags/1", "x"), httpsig.ModeRFC9421), 202,
		"a Flag with another host's id (refused, unwritten)")
	l, err := e.svc.AdminReports(context.Background(), owner, store.ReportFilter{}, store.Page{})
	if err != nil || len(l.Items) != 0 {
		t.Fatalf("hostile Flags wrote %v, %v", l, err)
	}
	e.want(t, e.post(t, "/inbox", e.bob, flag("https://remote.example/flags/1", "please look"), httpsig.ModeRFC9421), 202, "a Flag")
	l, err = e.svc.AdminReports(context.Background(), owner, store.ReportFilter{}, store.Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].Target.ID != e.alice.ID || l.Items[0].Report.Comment != "please look" ||
		l.Items[0].Account.URI != e.bob.id {
		t.Fatalf("reports after a Flag: %+v, %v", l, err)
	}
}
