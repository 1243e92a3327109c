// Generated program (seed 106888), shrunk from 68 to 24 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM001 (error) `write to
// nil map `global.items`: set to nil at line 15`.

package main

type Store struct {
	name  string
	items map[string]int
}

var global = newStore()

func newStore() *Store {
	return &Store{name: "s"}
}

func run1(a, b bool, n int, keys []string, raw string) {
	global.items = nil
	alias := global
	alias.items = make(map[string]int)
	global.items["b"]++ // OK: made through another pointer to the same struct
}

func main() {
	run1(true, false, 1, []string{"a"}, `{"counts":{}}`)
}
