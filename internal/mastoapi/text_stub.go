package mastoapi

import "html"

// TEMPORARY: replaced by internal/text rendering (accounts slice).

func noteHTML(s string) string {
	if s == "" {
		return ""
	}
	return "<p>" + html.EscapeString(s) + "</p>"
}

func fieldHTML(s string) string { return html.EscapeString(s) }
