// Generated program (seed 300970), shrunk from 169 to 16 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
	index map[string]map[string]int
}

func run2(a, b bool, n int, keys []string, raw string) {
	st := &Store{items: nil}
	st.index["a"]["b"]++ // want "nil"
}

func main() {
	run2(false, true, 2, []string{"a", "b"}, `null`)
}
