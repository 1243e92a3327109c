// Generated program (seed 1), shrunk from 129 to 21 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
}

type Base struct {
	attrs map[string]int
}

var shared = &Store{}

func run1(a, b bool, n int, keys []string, raw string) {
	cp := *shared
	cp.Base.attrs["b"] = cp.Base.attrs["b"] + 1 // want "nil"
}

func main() {
	run1(true, true, 3, []string{}, `{"labels":null}`)
}
