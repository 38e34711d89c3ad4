package text

import (
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
	}{
		{"empty", "", 0},
		{"ascii", "hello", 5},
		{"short URL counts 23", "https://x.example", 23},
		{"long URL counts 23", "https://example.org/" + strings.Repeat("a", 300), 23},
		{"URL in text", "see https://example.org/path.", 4 + 23 + 1},
		{"two URLs", "https://a.example https://b.example", 23 + 1 + 23},
		{"not a URL", "javascript:alert(1)", 19},
		{"local mention", "@alice", 6},
		{"remote mention counts local part", "@bob@remote.example hi", 4 + 3},
		{"mention with port", "@alice@localhost:8080", 6},
		{"email is text", "email@example.org", 17},
		{"hashtag counts as typed", "#hashtag", 8},
		{"mention inside URL", "https://example.org/@alice@remote.example", 23},
		{"accented", "café", 4},
		{"combining mark", "cafe\u0301", 4},
		{"CJK", "日本語", 3},
		{"emoji", "😀", 1},
		{"emoji with skin tone", "👍🏽", 1},
		{"ZWJ family", "👨\u200d👩\u200d👧", 1},
		{"flag", "🇫🇷", 1},
		{"keycap", "1\ufe0f\u20e3", 1},
		{"CRLF", "a\r\nb", 3},
		{"limit", strings.Repeat("a", 500), 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.in); got != tt.want {
				t.Errorf("Count(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCountStatus(t *testing.T) {
	// The content warning is counted as typed: its URL is not shortened.
	if got, want := CountStatus("hi https://x.example", "cw https://y.example"), 20+3+23; got != want {
		t.Errorf("CountStatus = %d, want %d", got, want)
	}
}

func TestLength(t *testing.T) {
	if got := Length("👨\u200d👩\u200d👧 https://x.example"); got != 19 {
		t.Errorf("Length = %d, want 19 (URLs are not shortened)", got)
	}
}
