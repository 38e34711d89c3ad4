package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store/sqlstore"
	"github.com/roost-social/roost/internal/testutil/teststore"
	"github.com/roost-social/roost/internal/vault"
)

// TestResealLosesToEdit: an edit written between ResealKeys's read of a
// row and its write is kept; the re-seal of that row is dropped.
func TestResealLosesToEdit(t *testing.T) {
	ctx := context.Background()
	st, v := teststore.SQLite(t)
	a := &model.Account{Username: "editor"}
	if err := st.CreateLocalAccount(ctx, a, &model.User{Role: model.RoleUser, Approved: true, PasswordHash: "x", Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	s := &model.Status{AccountID: a.ID, Text: "before", Content: "<p>before</p>", Visibility: model.VisibilityPublic, Local: true}
	if err := st.CreateStatus(ctx, s); err != nil {
		t.Fatal(err)
	}
	refs, err := v.OwnerRetiringKeys(ctx, a.ID, vault.ClassPosts, time.Now().AddDate(0, 2, 0))
	if err != nil || len(refs) != 1 {
		t.Fatalf("keys: %v, %v", refs, err)
	}
	edited := false
	defer sqlstore.SetResealHook(func(table string, id int64) {
		if table == "statuses" && id == s.ID && !edited {
			edited = true
			err := st.EditStatus(ctx, &model.Status{ID: s.ID, Text: "after", Content: "<p>after</p>"},
				&model.StatusEdit{Text: "before", Content: "<p>before</p>"})
			if err != nil {
				t.Error(err)
			}
		}
	})()
	n, err := st.ResealKeys(ctx, a.ID, vault.ClassPosts, []int64{refs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if !edited {
		t.Fatal("the hook never ran")
	}
	// The status's values lost the race; its edit (2 values) was read
	// after the edit and is re-sealed.
	if n != 2 {
		t.Errorf("ResealKeys = %d, want 2 (the edit row only)", n)
	}
	got, err := st.Status(ctx, s.ID)
	if err != nil || got.Text != "after" || got.Content != "<p>after</p>" {
		t.Fatalf("status after the race: %v %+v, want the edit kept", err, got)
	}
}
