// Generated program (seed 106432), shrunk from 73 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

func fillStore(s *Store, k string) {
	s.items[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	st := Store{}
	fillStore(&st, "b")
}

func main() {
	run1(false, false, 2, []string{"a"}, `{"labels":null}`)
}
