// Generated program (seed 103295), shrunk from 136 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
	index map[string]map[string]int
}

func run1(a, b bool, n int, keys []string, raw string) {
	st := &Store{}
	for _, k2 := range keys {
		setup := func() {
			st.items = make(map[string]int)
		}
		setup()
		st.index[k2] = map[string]int{} // want "nil"
	}
}

func main() {
	run1(true, false, 3, []string{"a", "b"}, `{"counts":{}}`)
}
