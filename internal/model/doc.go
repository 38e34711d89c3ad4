// Package model holds Roost's domain types and error kinds. It imports
// nothing from the project and nothing that knows HTTP or SQL; every other
// layer speaks in these types.
package model
