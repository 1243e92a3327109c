// Generated program (seed 102397), shrunk from 180 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run2(a, b bool, n int, keys []string, raw string) {
	var groups map[string]map[string]int
	groups[keyOf(n)][keyOf(n)] = groups[keyOf(n)][keyOf(n)] + 1 // want "nil"
}

func main() {
	run2(false, true, 1, []string{"b", "a", "c"}, `{}`)
}
