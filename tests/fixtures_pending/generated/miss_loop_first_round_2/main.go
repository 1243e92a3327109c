// Generated program (seed 103889), shrunk from 66 to 29 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
}

type Base struct {
	attrs map[string]int
}

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	st := Store{}
	for range keys {
		if _, ok := st.attrs["a"]; ok {
		}
		st.attrs[keyOf(n)]++ // want "nil"
	}
}

func main() {
	run1(true, true, 3, []string{"a"}, `{}`)
}
