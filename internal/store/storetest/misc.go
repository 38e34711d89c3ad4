package storetest

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testMarkers(t *testing.T, f *fx) {
	me, other := f.account("me"), f.account("other")
	home := &model.Marker{AccountID: me.ID, Timeline: "home", LastReadID: 10}
	f.must(f.s.SetMarker(f.ctx, home))
	if home.Version != 1 {
		t.Errorf("new marker version = %d, want 1", home.Version)
	}
	home.LastReadID = 20
	f.must(f.s.SetMarker(f.ctx, home))
	if home.Version != 2 {
		t.Errorf("saved marker version = %d, want 2", home.Version)
	}
	f.must(f.s.SetMarker(f.ctx, &model.Marker{AccountID: me.ID, Timeline: "notifications", LastReadID: 5}))
	f.must(f.s.SetMarker(f.ctx, &model.Marker{AccountID: other.ID, Timeline: "home", LastReadID: 99}))

	got, err := f.s.Markers(f.ctx, me.ID, []string{"home"})
	f.must(err)
	if len(got) != 1 || got[0].Timeline != "home" || got[0].LastReadID != 20 || got[0].Version != 2 || got[0].UpdatedAt.IsZero() {
		t.Errorf("home marker: %+v", got)
	}
	got, err = f.s.Markers(f.ctx, me.ID, nil)
	f.must(err)
	if len(got) != 2 {
		t.Errorf("all markers: %d, want 2", len(got))
	}
	got, err = f.s.Markers(f.ctx, me.ID, []string{"nothing"})
	f.must(err)
	if len(got) != 0 {
		t.Errorf("unknown timeline: %+v", got)
	}
}

func testPreferences(t *testing.T, f *fx) {
	me := f.account("me")
	p, err := f.s.Preferences(f.ctx, me.ID)
	f.must(err)
	if p.PostingVisibility != model.VisibilityPublic {
		t.Errorf("default visibility = %q", p.PostingVisibility)
	}
	want := &model.Preferences{PostingVisibility: model.VisibilityPrivate, PostingSensitive: true,
		PostingLanguage: "de", ExpandMedia: "show_all", ExpandSpoilers: true}
	f.must(f.s.SetPreferences(f.ctx, me.ID, want))
	f.must(f.s.SetPreferences(f.ctx, me.ID, want))
	p, err = f.s.Preferences(f.ctx, me.ID)
	f.must(err)
	if *p != *want {
		t.Errorf("preferences = %+v, want %+v", p, want)
	}
}

func testInstanceFigures(t *testing.T, f *fx) {
	a, b := f.account("ia"), f.account("ib")
	s1 := f.post(a, model.VisibilityPublic)
	f.post(a, model.VisibilityPrivate)
	f.post(a, model.VisibilityDirect, mentioning(b))
	f.boost(b, s1)
	f.post(f.remote("far", "far.example"), model.VisibilityPublic)
	n, err := f.s.CountLocalStatuses(f.ctx)
	f.must(err)
	if n != 3 {
		t.Errorf("CountLocalStatuses = %d, want 3 (two posts and a boost; direct and remote left out)", n)
	}

	// Activity: this week holds 2 registrations, 3 local statuses (and the
	// direct one: activity counts every local status), 1 login.
	u, err := f.s.User(f.ctx, a.ID)
	f.must(err)
	now := time.Now().UTC()
	u.LastSignInDay = now.Format(time.DateOnly)
	f.must(f.s.UpdateUser(f.ctx, u))
	since := now.Truncate(24*time.Hour).AddDate(0, 0, -14)
	weeks, err := f.s.Activity(f.ctx, since)
	f.must(err)
	if len(weeks) != 3 {
		t.Fatalf("Activity returned %d weeks, want 3: %+v", len(weeks), weeks)
	}
	if !weeks[0].Week.Equal(since.AddDate(0, 0, 14)) || !weeks[2].Week.Equal(since) {
		t.Errorf("weeks not newest first from since: %v %v", weeks[0].Week, weeks[2].Week)
	}
	if w := weeks[0]; w.Registrations != 2 || w.Statuses != 4 || w.Logins != 1 {
		t.Errorf("this week: %+v", w)
	}
	if w := weeks[1]; w != (store.WeekActivity{Week: since.AddDate(0, 0, 7)}) {
		t.Errorf("last week: %+v", w)
	}
}
