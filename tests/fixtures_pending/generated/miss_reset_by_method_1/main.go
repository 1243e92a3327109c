// Generated program (seed 300334), shrunk from 198 to 34 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
}

var names = []string{"a", "b", "c"}

func newStore() *Store {
	return &Store{name: "s"}
}

func (s *Store) Reset() {
	s.items = nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	st := &Store{}
	for _, k2 := range keys {
		if len(st.items) > 0 {
			st.items["a"+k2] += 2
		}
	}
	reg := newStore()
	reg.Reset()
	reg.items[names[0]]++ // want "nil"
}

func main() {
	run1(true, false, 0, []string{"a"}, `{}`)
}
