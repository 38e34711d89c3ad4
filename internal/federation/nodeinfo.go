package federation

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/privacy"
)

// NodeInfo schema IRIs, which are also the link relations.
const (
	nodeInfo20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"
	nodeInfo21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
)

// softwareName is how NodeInfo names Roost (lower case, [a-z0-9-]).
const softwareName = "roost"

type nodeInfoLinks struct {
	Links []nodeInfoLink `json:"links"`
}

type nodeInfoLink struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// nodeInfo is a NodeInfo 2.0 or 2.1 document; the two differ only in
// version (2.1 allows software.repository and homepage, which Roost leaves
// out until it has a canonical address).
type nodeInfo struct {
	Version           string           `json:"version"`
	Software          nodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          nodeInfoServices `json:"services"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Usage             nodeInfoUsage    `json:"usage"`
	Metadata          nodeInfoMetadata `json:"metadata"`
}

type nodeInfoSoftware struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type nodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

type nodeInfoUsage struct {
	Users      nodeInfoUsers `json:"users"`
	LocalPosts int           `json:"localPosts"`
}

type nodeInfoUsers struct {
	Total          int `json:"total"`
	ActiveMonth    int `json:"activeMonth"`
	ActiveHalfyear int `json:"activeHalfyear"`
}

// nodeInfoMetadata carries the instance's privacy facts, generated from its
// settings by the privacy package like every other place they appear.
type nodeInfoMetadata struct {
	NodeName        string           `json:"nodeName"`
	NodeDescription string           `json:"nodeDescription,omitempty"`
	Privacy         privacy.NodeInfo `json:"privacy"`
}

// nodeinfoLinks is GET /.well-known/nodeinfo.
func (h *Handler) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	l := nodeInfoLinks{Links: []nodeInfoLink{
		{Rel: nodeInfo20, Href: h.urls.base + "/nodeinfo/2.0"},
		{Rel: nodeInfo21, Href: h.urls.base + "/nodeinfo/2.1"},
	}}
	h.writeJSON(w, r, http.StatusOK, contentTypeJSON, cacheNodeInfo, l)
}

func (h *Handler) nodeinfo20(w http.ResponseWriter, r *http.Request) { h.serveNodeInfo(w, r, "2.0") }
func (h *Handler) nodeinfo21(w http.ResponseWriter, r *http.Request) { h.serveNodeInfo(w, r, "2.1") }

func (h *Handler) serveNodeInfo(w http.ResponseWriter, r *http.Request, version string) {
	allowCORS(w)
	u, err := h.usage.get(r.Context(), h.svc, h.now())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ct := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + version + `#"`
	h.writeJSON(w, r, http.StatusOK, ct, cacheNodeInfo, h.nodeInfo(version, u))
}

// nodeInfo builds the document. Registrations count as open when anyone
// may sign up, with or without approval, as Mastodon reports them.
func (h *Handler) nodeInfo(version string, u *core.NodeUsage) nodeInfo {
	set := h.svc.Settings() // live: an admin may change these at run time
	reg := set.Registration
	return nodeInfo{
		Version:           version,
		Software:          nodeInfoSoftware{Name: softwareName, Version: h.version},
		Protocols:         []string{"activitypub"},
		Services:          nodeInfoServices{Inbound: []string{}, Outbound: []string{}},
		OpenRegistrations: reg == model.RegistrationOpen || reg == model.RegistrationApproval,
		Usage: nodeInfoUsage{
			Users:      nodeInfoUsers{Total: u.Users, ActiveMonth: u.ActiveMonth, ActiveHalfyear: u.ActiveHalfyear},
			LocalPosts: u.LocalPosts,
		},
		Metadata: nodeInfoMetadata{
			NodeName:        set.Title,
			NodeDescription: set.Description,
			Privacy:         core.PrivacyFacts(set).NodeInfo(),
		},
	}
}

// usageTTL is how long usage figures are reused: counting reads every
// user.
const usageTTL = 10 * time.Minute

// usageCache keeps the last usage figures.
type usageCache struct {
	mu  sync.Mutex
	at  time.Time
	val *core.NodeUsage
}

func (c *usageCache) get(ctx context.Context, svc *core.Service, now time.Time) (*core.NodeUsage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.val != nil && now.Sub(c.at) < usageTTL && !now.Before(c.at) {
		return c.val, nil
	}
	u, err := svc.NodeUsage(ctx)
	if err != nil {
		return nil, err
	}
	c.val, c.at = u, now
	return u, nil
}
