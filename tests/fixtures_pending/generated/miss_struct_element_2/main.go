// Generated program (seed 600152), shrunk from 150 to 28 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
}

func (s *Store) Put(k string) {
	s.items[k]++ // want "nil"
}

func newInts() map[string]int {
	return make(map[string]int)
}

func run2(a, b bool, n int, keys []string, raw string) {
	stores := map[string]*Store{"a": {}, "b": {name: "e"}}
	cp := stores["b"]
	stores["b"].Put("a")
	stores["a"].items = newInts()
	_ = cp
}

func main() {
	run2(true, true, 3, []string{"a", "b"}, `{"counts":{}}`)
}
