// Package archtest holds tests that keep the tree's shape honest: which
// packages may import which, and that every package says what it owns.
package archtest
