// Generated program (seed 600061), shrunk from 128 to 35 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

type pair struct {
	A, B string
}

var defaults = pair{A: "a", B: "b"}

func newStore() *Store {
	s := new(Store)
	s.Init()
	return s
}

func (s *Store) Init() {
	s.index = make(map[string]map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	reg := &Store{items: make(Counts), index: make(map[string]map[string]int)}
	st := newStore()
	st.index["a"][defaults.B], reg.items["b"] = 1, 1 // want "nil"
}

func main() {
	run1(false, false, 1, []string{}, `{}`)
}
