// Generated program (seed 400238), shrunk from 196 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
	index map[string]map[string]int
}

const keyB = "b"

func initStore(s *Store) {
}

func run1(a, b bool, n int, keys []string, raw string) {
	store := &Store{name: "s", items: make(map[string]int)}
	initStore(store)
	store.index[keyB] = nil // want "nil"
}

func main() {
	run1(false, true, 0, nil, `null`)
}
