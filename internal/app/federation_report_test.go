package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// fedReport is the part of an Admin::Report the test reads.
type fedReport struct {
	ID            string
	Comment       string
	Forwarded     bool
	Account       struct{ Username, Domain string }
	TargetAccount struct{ ID, Username string } `json:"target_account"`
	Statuses      []struct{ ID, URI string }
}

// staffUser creates a user on s, makes it an admin with the CLI, and
// returns it with a token carrying the admin scopes.
func staffUser(t *testing.T, s *server, hc *http.Client, name string) *fedUser {
	t.Helper()
	ctx := context.Background()
	svc := s.app.Service()
	a, err := svc.CreateUser(ctx, core.NewUser{Username: name, Password: "password-" + name, Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	s.roost(t, "", "admin", "set-role", name, "admin")
	const scopes = "read write admin:read admin:write"
	app, _, err := svc.CreateApp(ctx, core.NewApp{Name: "admin", RedirectURIs: []string{core.OOBRedirect}, Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.PasswordGrant(ctx, app, name, "password-"+name, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return &fedUser{t: t, s: s, tok: g.AccessToken, id: model.FormatID(a.ID), hc: hc}
}

// reports lists the open reports u's server holds.
func (u *fedUser) reports() []fedReport {
	u.t.Helper()
	var rs []fedReport
	u.must(http.MethodGet, "/api/v1/admin/reports?limit=40", nil, &rs)
	return rs
}

// findReport returns the report with comment, or nil.
func findReport(rs []fedReport, comment string) *fedReport {
	for i := range rs {
		if rs[i].Comment == comment {
			return &rs[i]
		}
	}
	return nil
}

// TestFederationReports: alice on A reports bob on B, with one of his
// posts, and asks for the report to be forwarded; B's moderators see it,
// from A's instance actor (alice stays anonymous), naming bob and the
// post, with the comment. A report not forwarded never reaches B.
func TestFederationReports(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		alice, bob := a.apiUser(t, hc, "alice"), b.apiUser(t, hc, "bob")
		modA, modB := staffUser(t, a, hc, "root"), staffUser(t, b, hc, "root")

		// alice follows bob, so that his posts reach A.
		bobOnA := alice.resolve("bob@" + b.host())
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		eventually(t, "alice following bob", func() bool { return alice.relationship(bobOnA).Following })
		post := bob.post(url.Values{"status": {"buy my pills"}, "visibility": {"public"}})
		other := bob.post(url.Values{"status": {"an innocent post"}, "visibility": {"public"}})
		var postOnA string
		eventually(t, "bob's post in alice's home on A", func() bool {
			if st := findURI(alice.home(), post.URI); st != nil {
				postOnA = st.ID
			}
			return postOnA != ""
		})

		report := func(comment string, forward bool) {
			t.Helper()
			var rep struct {
				ID        string
				Forwarded bool
				StatusIDs []string `json:"status_ids"`
			}
			alice.must(http.MethodPost, "/api/v1/reports", url.Values{"account_id": {bobOnA}, "status_ids[]": {postOnA},
				"comment": {comment}, "forward": {map[bool]string{true: "true", false: "false"}[forward]},
				"category": {"spam"}}, &rep)
			if rep.Forwarded != forward || len(rep.StatusIDs) != 1 || rep.StatusIDs[0] != postOnA {
				t.Fatalf("report %q: %+v", comment, rep)
			}
		}
		report("kept at home", false)
		report("pills again, see the post", true)

		var got *fedReport
		eventually(t, "the forwarded report on B", func() bool {
			got = findReport(modB.reports(), "pills again, see the post")
			return got != nil
		})
		if got.TargetAccount.ID != bob.id || got.TargetAccount.Username != "bob" {
			t.Errorf("report on B names %+v, want bob (%s)", got.TargetAccount, bob.id)
		}
		if len(got.Statuses) != 1 || got.Statuses[0].ID != post.ID {
			t.Errorf("report on B names statuses %+v, want only %s", got.Statuses, post.ID)
		}
		if got.Account.Username == "alice" || got.Account.Domain != a.host() {
			t.Errorf("report on B is by %+v, want A's instance actor", got.Account)
		}
		for _, st := range got.Statuses {
			if st.ID == other.ID {
				t.Error("an unreported post is in the report")
			}
		}

		// A marker sent after the unforwarded report: once it is on B,
		// the unforwarded one would have been there before it.
		report("marker", true)
		eventually(t, "the marker report on B", func() bool { return findReport(modB.reports(), "marker") != nil })
		if findReport(modB.reports(), "kept at home") != nil {
			t.Error("a report without forward reached B")
		}
		if rs := modB.reports(); len(rs) != 2 {
			t.Errorf("B holds %d reports, want 2", len(rs))
		}
		// A keeps all three, by alice.
		if rs := modA.reports(); len(rs) != 3 || rs[0].Account.Username != "alice" {
			t.Errorf("A's reports: %+v", rs)
		}
		for _, s := range []*server{a, b} {
			s.assertLogsClean(t, "pills again", "kept at home")
		}
	})
}
