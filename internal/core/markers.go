package core

import (
	"context"
	"fmt"
	"slices"

	"github.com/roost-social/roost/internal/model"
)

// MarkerTimelines are the timelines a reading position may be saved for.
var MarkerTimelines = []string{"home", "notifications"}

// Markers returns viewerID's saved reading positions for the known
// timelines among timelines.
func (s *Service) Markers(ctx context.Context, viewerID int64, timelines []string) ([]*model.Marker, error) {
	var known []string
	for _, t := range timelines {
		if slices.Contains(MarkerTimelines, t) && !slices.Contains(known, t) {
			known = append(known, t)
		}
	}
	if len(known) == 0 {
		return nil, nil
	}
	ms, err := s.store.Markers(ctx, viewerID, known)
	if err != nil {
		return nil, fmt.Errorf("core: markers: %w", err)
	}
	return ms, nil
}

// SetMarkers saves reading positions (timeline to last read ID) and
// returns the saved markers. Unknown timelines are ignored.
func (s *Service) SetMarkers(ctx context.Context, viewerID int64, positions map[string]int64) ([]*model.Marker, error) {
	var set []string
	for _, t := range MarkerTimelines {
		if id, ok := positions[t]; ok && id <= 0 {
			return nil, fieldErr("last_read_id", "ERR_INVALID", "is invalid")
		}
	}
	for _, t := range MarkerTimelines {
		id, ok := positions[t]
		if !ok {
			continue
		}
		m := &model.Marker{AccountID: viewerID, Timeline: t, LastReadID: id, UpdatedAt: s.now()}
		if err := s.store.SetMarker(ctx, m); err != nil {
			return nil, fmt.Errorf("core: set marker %s: %w", t, err)
		}
		set = append(set, t)
	}
	// Read them back for the versions the store gave them.
	return s.Markers(ctx, viewerID, set)
}
