package core

import (
	"context"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// InstanceStats are the instance's public figures.
type InstanceStats struct {
	Users       int
	Statuses    int
	Domains     int
	ActiveMonth int // a lower bound: the busiest week of logins in the last month
}

// InstanceStats counts users, local statuses and known servers.
func (s *Service) InstanceStats(ctx context.Context) (*InstanceStats, error) {
	var st InstanceStats
	var err error
	if st.Users, err = s.store.CountUsers(ctx); err != nil {
		return nil, fmt.Errorf("core: instance stats: %w", err)
	}
	if st.Statuses, err = s.store.CountLocalStatuses(ctx); err != nil {
		return nil, fmt.Errorf("core: instance stats: %w", err)
	}
	peers, err := s.store.Peers(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: instance stats: %w", err)
	}
	st.Domains = len(peers)
	weeks, err := s.store.Activity(ctx, s.now().AddDate(0, 0, -35))
	if err != nil {
		return nil, fmt.Errorf("core: instance stats: %w", err)
	}
	for _, w := range weeks {
		st.ActiveMonth = max(st.ActiveMonth, w.Logins)
	}
	return &st, nil
}

// Peers lists the servers this one knows, when the instance publishes
// them; otherwise model.ErrNotFound, as Mastodon answers with the API off.
func (s *Service) Peers(ctx context.Context) ([]string, error) {
	if !s.settings().ShowPeers {
		return nil, fmt.Errorf("core: peers: %w", model.ErrNotFound)
	}
	peers, err := s.store.Peers(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: peers: %w", err)
	}
	if peers == nil {
		peers = []string{}
	}
	return peers, nil
}

// activityWeeks is how many weeks of activity are published.
const activityWeeks = 12

// Activity returns the last twelve weeks of activity, newest first, one
// entry per week (starting Monday, UTC) even when nothing happened, when
// the instance publishes it; otherwise model.ErrNotFound.
func (s *Service) Activity(ctx context.Context) ([]store.WeekActivity, error) {
	if !s.settings().ShowActivity {
		return nil, fmt.Errorf("core: activity: %w", model.ErrNotFound)
	}
	week := weekStart(s.now())
	oldest := week.AddDate(0, 0, -7*(activityWeeks-1))
	got, err := s.store.Activity(ctx, oldest)
	if err != nil {
		return nil, fmt.Errorf("core: activity: %w", err)
	}
	byWeek := map[time.Time]store.WeekActivity{}
	for _, w := range got {
		byWeek[weekStart(w.Week)] = w
	}
	out := make([]store.WeekActivity, activityWeeks)
	for i := range out {
		ws := week.AddDate(0, 0, -7*i)
		w := byWeek[ws]
		w.Week = ws
		out[i] = w
	}
	return out, nil
}

// weekStart is midnight UTC on the Monday of t's week.
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	back := (int(day.Weekday()) + 6) % 7 // days since Monday
	return day.AddDate(0, 0, -back)
}
