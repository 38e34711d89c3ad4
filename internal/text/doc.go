// Package text owns how Roost turns what a user typed into what Mastodon
// clients expect: the HTML of statuses, bios and profile fields, the
// mentions and hashtags found in them, Mastodon's character count, and the
// rules for local usernames.
//
// Everything here is a pure function of its input: no I/O, no clock, no
// globals that change. Whatever needs the database (is @alice a known
// account?) is asked through Options.ResolveMention.
//
// # What is recognised
//
// Entities are found in the raw text, the earliest one winning where two
// overlap (so a hashtag or mention inside a URL stays part of the URL):
//
//   - URLs: "http://" or "https://" (any case), not preceded by an ASCII
//     letter or digit or by @ $ # ＠ ＃; a host of dot-separated labels of
//     letters, digits and marks (hyphens and underscores inside a label); an
//     optional :port; a path in which parentheses count only when balanced
//     (one level of nesting) and which never ends in one of
//     ! * " ' 「 」 ; : = , . $ % [ ] ~ & | @; an optional query that ends in
//     a letter, digit or one of _ & = # / -. Unlike Mastodon, no list of
//     top-level domains is required, so http://localhost:8080/ is a link.
//   - Mentions: @user or @user@domain, where user is
//     [A-Za-z0-9_]+ with single runs of "." or "-" inside, and domain is
//     word characters with "." or "-" inside, plus (unlike Mastodon) an
//     optional :port so that @alice@localhost:8080 can name a local
//     account. The @ must not follow a word character, "=" or "/" (so
//     email@example.org is no mention), and the mention must not be
//     followed by @, a Latin accented letter or "://".
//   - Hashtags: # or ＃ not following a word character, "/" or ")", then
//     word characters (letters, marks, decimal digits, connector
//     punctuation) with · ・ and U+200C allowed inside. A name needs a
//     letter, or a separator (including _) strictly inside it: #123 and
//     #_1 are not hashtags, #1_2 is.
//
// # Output
//
// Render escapes all text (& < > " '), wraps paragraphs (split on blank
// lines, after CRLF and CR become LF) in <p>, turns single newlines into
// <br />, and emits only the tags listed in the Render doc. Counting
// follows Mastodon's StatusLengthValidator: see Count.
package text
