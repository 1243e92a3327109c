// Generated program (seed 107290), shrunk from 133 to 16 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

func run1(a, b bool, n int, keys []string, raw string) {
	var all [2]Store
	key := "b"
	all[0].index[key] = make(map[string]int) // want "nil"
}

func main() {
	run1(true, true, 0, nil, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
