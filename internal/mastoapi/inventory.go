package mastoapi

import (
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// InventoryEntity is what the server holds about the caller: one item per
// category of data.
type InventoryEntity struct {
	Account     string          `json:"account"`
	GeneratedAt string          `json:"generated_at"`
	Items       []InventoryItem `json:"items"`
}

// InventoryItem is one category: whether it is encrypted at rest (and
// how), who can read it, and when it goes (max_age_days null: kept until
// deleted). count is null where it is not counted.
type InventoryItem struct {
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Count       *int     `json:"count"`
	Encrypted   bool     `json:"encrypted"`
	Encryption  string   `json:"encryption"`
	ReadableBy  []string `json:"readable_by"`
	MaxAgeDays  *float64 `json:"max_age_days"`
	Expires     string   `json:"expires"`
}

func renderInventory(inv *core.Inventory) InventoryEntity {
	out := InventoryEntity{Account: inv.Username, GeneratedAt: mastoTime(inv.GeneratedAt), Items: []InventoryItem{}}
	for _, it := range inv.Items {
		e := InventoryItem{Category: it.Category, Description: it.Description, Count: it.Count,
			Encrypted: it.Encrypted, Encryption: it.Encryption, ReadableBy: it.Readers, Expires: it.Expiry}
		if it.MaxAge > 0 {
			d := it.MaxAge.Hours() / 24
			e.MaxAgeDays = &d
		}
		out.Items = append(out.Items, e)
	}
	return out
}

// inventory is GET /api/v1/roost/inventory.
func (s *Server) inventory(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	inv, err := s.svc.Inventory(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, renderInventory(inv))
}

// inventoryView fills inventory.html.
type inventoryView struct {
	Instance  string
	Inventory InventoryEntity
}

// inventoryPage is GET /api/v1/roost/inventory.html: the inventory as a
// page. Roost has no browser sessions, so it takes the same bearer token
// as the JSON (an app shows it in a web view it authorizes).
func (s *Server) inventoryPage(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	inv, err := s.svc.Inventory(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPage(w, http.StatusOK, "inventory.html", inventoryView{Instance: s.svc.Settings().Title, Inventory: renderInventory(inv)})
}
