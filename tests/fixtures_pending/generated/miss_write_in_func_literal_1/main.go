// Generated program (seed 101926), shrunk from 67 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

func run1(a, b bool, n int, keys []string, raw string) {
	reg := &Store{}
	prepare := func() {
		reg.index["a"]["a"] += 2 // want "nil"
	}
	prepare()
}

func main() {
	run1(false, false, 0, nil, `{"name":"a"}`)
}
