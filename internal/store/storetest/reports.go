package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testReports: reports round-trip with their sealed comment, are written
// all or none, are unique per incoming Flag and target, list open or
// resolved newest first, resolve and reopen, survive their reporter's
// shredded key (without the comment) and go with their accounts.
func testReports(t *testing.T, f *fx) {
	alice, bob, mod := f.account("alice"), f.account("bob"), f.account("mod")
	flagger := f.remote("instance", "far.example")
	st := f.post(bob, model.VisibilityPublic)

	local := &store.Report{AccountID: alice.ID, TargetAccountID: bob.ID, StatusIDs: []int64{st.ID},
		Comment: "he keeps posting this", Category: store.ReportViolation, RuleIDs: []int64{1, 3}}
	f.must(f.s.CreateReports(f.ctx, []*store.Report{local}))
	if local.ID == 0 || local.CreatedAt.IsZero() || local.UpdatedAt.IsZero() {
		t.Fatalf("CreateReports did not fill in ID and times: %+v", local)
	}
	got, err := f.s.Report(f.ctx, local.ID)
	f.must(err)
	if got.AccountID != alice.ID || got.TargetAccountID != bob.ID || !slices.Equal(got.StatusIDs, []int64{st.ID}) ||
		got.Comment != local.Comment || got.CommentShredded || got.Category != store.ReportViolation ||
		!slices.Equal(got.RuleIDs, []int64{1, 3}) || got.Forwarded || got.URI != "" || got.ActionTakenAt != nil ||
		!sameTime(got.CreatedAt, local.CreatedAt) {
		t.Errorf("Report = %+v, want %+v", got, local)
	}

	// An incoming Flag naming two accounts: both or neither.
	flagURI := "https://far.example/flags/1"
	r1 := &store.Report{AccountID: flagger.ID, TargetAccountID: bob.ID, Category: store.ReportOther, URI: flagURI}
	r2 := &store.Report{AccountID: flagger.ID, TargetAccountID: 999999, Category: store.ReportOther, URI: flagURI}
	f.is(f.s.CreateReports(f.ctx, []*store.Report{r1, r2}), model.ErrNotFound)
	byURI, err := f.s.ReportsByURI(f.ctx, flagURI)
	f.must(err)
	if len(byURI) != 0 {
		t.Fatalf("a failed batch left %d reports", len(byURI))
	}
	bad := &store.Report{AccountID: alice.ID, TargetAccountID: bob.ID, Category: "rude"}
	f.is(f.s.CreateReports(f.ctx, []*store.Report{bad}), model.ErrInvalid)

	r1 = &store.Report{AccountID: flagger.ID, TargetAccountID: bob.ID, Category: store.ReportOther, URI: flagURI,
		Comment: "forwarded from far away"}
	r2 = &store.Report{AccountID: flagger.ID, TargetAccountID: alice.ID, Category: store.ReportOther, URI: flagURI}
	f.must(f.s.CreateReports(f.ctx, []*store.Report{r1, r2}))
	again := &store.Report{AccountID: flagger.ID, TargetAccountID: bob.ID, Category: store.ReportOther, URI: flagURI}
	f.is(f.s.CreateReports(f.ctx, []*store.Report{again}), model.ErrConflict)
	byURI, err = f.s.ReportsByURI(f.ctx, flagURI)
	f.must(err)
	if len(byURI) != 2 || byURI[0].ID != r1.ID || byURI[1].ID != r2.ID || byURI[0].Comment != r1.Comment ||
		byURI[1].Comment != "" || len(byURI[1].StatusIDs) != 0 {
		t.Errorf("ReportsByURI = %+v", byURI)
	}
	if none, err := f.s.ReportsByURI(f.ctx, ""); err != nil || len(none) != 0 {
		t.Errorf(`ReportsByURI("") = %v, %v`, none, err)
	}

	// Open reports, newest first, filtered and paged.
	ids := func(rs []*store.Report) []int64 {
		out := []int64{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	open, err := f.s.Reports(f.ctx, store.ReportFilter{}, page(20))
	f.must(err)
	if want := []int64{r2.ID, r1.ID, local.ID}; !slices.Equal(ids(open), want) {
		t.Errorf("open reports = %v, want %v", ids(open), want)
	}
	aboutBob, err := f.s.Reports(f.ctx, store.ReportFilter{TargetAccountID: bob.ID}, page(20))
	f.must(err)
	if want := []int64{r1.ID, local.ID}; !slices.Equal(ids(aboutBob), want) {
		t.Errorf("reports about bob = %v, want %v", ids(aboutBob), want)
	}
	byAlice, err := f.s.Reports(f.ctx, store.ReportFilter{AccountID: alice.ID}, page(20))
	f.must(err)
	if want := []int64{local.ID}; !slices.Equal(ids(byAlice), want) {
		t.Errorf("reports by alice = %v, want %v", ids(byAlice), want)
	}
	older, err := f.s.Reports(f.ctx, store.ReportFilter{}, store.Page{MaxID: r2.ID, Limit: 1})
	f.must(err)
	if want := []int64{r1.ID}; !slices.Equal(ids(older), want) {
		t.Errorf("page below r2 = %v, want %v", ids(older), want)
	}

	// Resolve and reopen.
	at := time.Now().UTC().Truncate(time.Second)
	f.must(f.s.ResolveReport(f.ctx, local.ID, mod.ID, &at))
	got, err = f.s.Report(f.ctx, local.ID)
	f.must(err)
	if got.ActionTakenAt == nil || !sameTime(*got.ActionTakenAt, at) || got.ActionTakenByID != mod.ID {
		t.Errorf("resolved report = %+v", got)
	}
	resolved, err := f.s.Reports(f.ctx, store.ReportFilter{Resolved: true}, page(20))
	f.must(err)
	if want := []int64{local.ID}; !slices.Equal(ids(resolved), want) {
		t.Errorf("resolved reports = %v, want %v", ids(resolved), want)
	}
	f.must(f.s.ResolveReport(f.ctx, local.ID, mod.ID, nil))
	got, err = f.s.Report(f.ctx, local.ID)
	f.must(err)
	if got.ActionTakenAt != nil || got.ActionTakenByID != 0 {
		t.Errorf("reopened report = %+v", got)
	}
	f.is(f.s.ResolveReport(f.ctx, 424242, mod.ID, &at), model.ErrNotFound)
	_, err = f.s.Report(f.ctx, 424242)
	f.is(err, model.ErrNotFound)

	// The reporter's key shredded: the report stays, without its comment.
	f.must(f.v.Shred(f.ctx, alice.ID))
	got, err = f.s.Report(f.ctx, local.ID)
	f.must(err)
	if got.Comment != "" || !got.CommentShredded || got.TargetAccountID != bob.ID {
		t.Errorf("report after the reporter's shred = %+v", got)
	}

	// Deleting the remote reporter deletes its reports.
	f.must(f.s.DeleteRemoteAccountData(f.ctx, flagger.ID))
	byURI, err = f.s.ReportsByURI(f.ctx, flagURI)
	f.must(err)
	if len(byURI) != 0 {
		t.Errorf("reports of a deleted account remain: %+v", byURI)
	}
}
