package ap

import (
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

const followers = "https://roost.example/users/alice/followers"

func TestVisibilityOf(t *testing.T) {
	bob := "https://b.example/users/bob"
	tests := []struct {
		name   string
		to, cc []string
		want   model.Visibility
	}{
		{"public", []string{PublicIRI}, []string{followers}, model.VisibilityPublic},
		{"public compact", []string{"as:Public"}, nil, model.VisibilityPublic},
		{"public bare", []string{"Public"}, nil, model.VisibilityPublic},
		{"public wins over cc", []string{PublicIRI, followers}, []string{PublicIRI}, model.VisibilityPublic},
		{"unlisted", []string{followers}, []string{PublicIRI}, model.VisibilityUnlisted},
		{"unlisted compact", []string{followers}, []string{"as:Public", bob}, model.VisibilityUnlisted},
		{"private", []string{followers}, []string{bob}, model.VisibilityPrivate},
		{"private with mention in to", []string{bob, followers}, nil, model.VisibilityPrivate},
		{"followers only in cc", []string{bob}, []string{followers}, model.VisibilityDirect},
		{"direct", []string{bob}, nil, model.VisibilityDirect},
		{"nobody", nil, nil, model.VisibilityDirect},
		{"someone else's followers", []string{"https://roost.example/users/eve/followers"}, nil, model.VisibilityDirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VisibilityOf(&Object{To: tt.to, CC: tt.cc}, followers); got != tt.want {
				t.Errorf("VisibilityOf = %s, want %s", got, tt.want)
			}
		})
	}
	if got := VisibilityOf(&Object{To: []string{""}}, ""); got != model.VisibilityDirect {
		t.Errorf("empty followers URL matched an empty recipient: %s", got)
	}
}

func TestAddressing(t *testing.T) {
	bob, carol := "https://b.example/users/bob", "https://c.example/users/carol"
	mentions := []string{bob, "", carol, bob}
	tests := []struct {
		vis    model.Visibility
		to, cc []string
	}{
		{model.VisibilityPublic, []string{PublicIRI}, []string{followers, bob, carol}},
		{model.VisibilityUnlisted, []string{followers}, []string{PublicIRI, bob, carol}},
		{model.VisibilityPrivate, []string{followers}, []string{bob, carol}},
		{model.VisibilityDirect, []string{bob, carol}, nil},
		{"bogus", []string{bob, carol}, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.vis), func(t *testing.T) {
			to, cc := Addressing(tt.vis, followers, mentions)
			if !slices.Equal(to, tt.to) || !slices.Equal(cc, tt.cc) {
				t.Errorf("Addressing = %v %v, want %v %v", to, cc, tt.to, tt.cc)
			}
		})
	}
}

// Both directions agree: what Roost sends for a visibility is read back as
// that visibility, with and without mentions.
func TestAddressingRoundTrip(t *testing.T) {
	for _, vis := range []model.Visibility{model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate, model.VisibilityDirect} {
		for _, mentions := range [][]string{nil, {"https://b.example/users/bob"}} {
			if vis == model.VisibilityDirect && mentions == nil {
				continue
			}
			to, cc := Addressing(vis, followers, mentions)
			if got := VisibilityOf(&Object{To: to, CC: cc}, followers); got != vis {
				t.Errorf("%s with %d mentions read back as %s", vis, len(mentions), got)
			}
		}
	}
}
