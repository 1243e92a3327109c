// Generated program (seed 400106), shrunk from 178 to 24 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
	items map[string]int
}

type Base struct {
	attrs map[string]int
}

func initStore(s *Store) {
}

func run1(a, b bool, n int, keys []string, raw string) {
	reg := Store{}
	initStore(&reg)
	reg.items["a"], reg.attrs["b"] = 1, 1 // want "nil"
}

func main() {
	run1(false, true, 1, []string{"b", "a", "c"}, `{"counts":{}}`)
}
