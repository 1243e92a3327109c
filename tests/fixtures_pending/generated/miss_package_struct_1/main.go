// Generated program (seed 101006), shrunk from 221 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var shared Store

const keyA = "a"

func run1(a, b bool, n int, keys []string, raw string) {
	shared.index[keyA] = map[string]int{} // want "nil"
}

func main() {
	run1(true, false, 1, []string{}, `{"name":"a"}`)
}
