// Generated program (seed 400164), shrunk from 104 to 30 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
	name  string
	items Counts
	index map[string]map[string]int
}

type Base struct {
}

type Counts map[string]int

var names = []string{"a", "b", "c"}

func fillStore(s *Store, k string) {
	s.items[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	store := Store{Base{}, "s", nil, nil}
	fillStore(&store, names[0])
}

func main() {
	run1(true, false, 3, []string{"a"}, `{"labels":null}`)
}
