// Generated program (seed 106688), shrunk from 120 to 16 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type pair struct {
	A, B string
}

func run1(a, b bool, n int, keys []string, raw string) {
	var groups map[string]map[string]int
	pr := pair{A: "a", B: "b"}
	groups["b"][pr.B] += 2 // want "nil"
}

func main() {
	run1(true, true, 3, []string{"b", "a", "c"}, `{"name":"a"}`)
}
