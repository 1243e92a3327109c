// Generated program (seed 300848), shrunk from 133 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type pair struct {
	A, B string
}

var registry map[string]map[string]int

var defaults = pair{A: "a", B: "b"}

func putInts(m map[string]int, k string) {
	m[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	putInts(registry["a"], defaults.A)
}

func main() {
	run1(false, false, 2, []string{"a", "b"}, `{}`)
}
