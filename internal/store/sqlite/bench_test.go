package sqlite_test

import (
	"testing"

	"github.com/roost-social/roost/internal/store/storetest"
)

func BenchmarkHomeTimeline(b *testing.B) { storetest.BenchmarkHomeTimeline(b, open) }

func BenchmarkCreateStatus(b *testing.B) { storetest.BenchmarkCreateStatus(b, open) }
