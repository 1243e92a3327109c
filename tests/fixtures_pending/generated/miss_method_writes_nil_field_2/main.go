// Generated program (seed 100899), shrunk from 105 to 21 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

func (s *Store) Link(k string) {
	s.index[k] = map[string]int{} // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	store := new(Store)
	cp := *store
	cp.Link("a")
}

func main() {
	run1(false, true, 0, []string{}, `{"labels":null}`)
}
