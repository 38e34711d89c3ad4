package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

func TestInstanceFigures(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mustCreateUser(t, s, "alice")
	mustCreateUser(t, s, "bob")
	st, err := s.InstanceStats(ctx)
	if err != nil || st.Users != 2 {
		t.Fatalf("stats = %+v, %v", st, err)
	}
	peers, err := s.Peers(ctx)
	if err != nil || peers == nil {
		t.Errorf("peers = %v, %v", peers, err)
	}
	weeks, err := s.Activity(ctx)
	if err != nil || len(weeks) != 12 {
		t.Fatalf("activity = %d weeks, %v", len(weeks), err)
	}
	for i, w := range weeks {
		if w.Week.Weekday() != time.Monday || w.Week.Hour() != 0 {
			t.Errorf("week %d starts %v", i, w.Week)
		}
		if i > 0 && !weeks[i-1].Week.Equal(w.Week.AddDate(0, 0, 7)) {
			t.Errorf("weeks %d and %d are not consecutive", i-1, i)
		}
	}

	set := testSettings()
	set.ShowPeers, set.ShowActivity = false, false
	s2 := newTestServiceWith(t, set, nil)
	if _, err := s2.Peers(ctx); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("peers when hidden: %v", err)
	}
	if _, err := s2.Activity(ctx); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("activity when hidden: %v", err)
	}
}

func TestWeekStart(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-13T10:00:00Z": "2024-05-13", // Monday
		"2024-05-19T23:59:59Z": "2024-05-13", // Sunday
		"2024-05-20T00:00:00Z": "2024-05-20",
		"2024-01-03T12:00:00Z": "2024-01-01",
	} {
		tm, _ := time.Parse(time.RFC3339, in)
		if got := weekStart(tm).Format("2006-01-02"); got != want {
			t.Errorf("weekStart(%s) = %s, want %s", in, got, want)
		}
	}
}
