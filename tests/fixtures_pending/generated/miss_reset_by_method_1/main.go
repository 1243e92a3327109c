// Generated program (seed 109868), shrunk from 192 to 24 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

func (s *Store) Reset() {
	s.items = nil
}

func run2(a, b bool, n int, keys []string, raw string) {
	store := &Store{}
	key := "a"
	ready := key != "a"
	if ready && n > 1 {
	}
	store.Reset()
	store.items["b"] += 2 // want "nil"
}

func main() {
	run2(false, true, 1, nil, `{"name":"a"}`)
}
