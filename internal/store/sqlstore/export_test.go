package sqlstore

// SetResealHook makes ResealKeys call f between reading a row and writing
// it back, until the returned function is called.
func SetResealHook(f func(table string, id int64)) (reset func()) {
	resealHook = f
	return func() { resealHook = nil }
}
