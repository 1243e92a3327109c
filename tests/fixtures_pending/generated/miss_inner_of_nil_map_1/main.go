// Generated program (seed 101037), shrunk from 174 to 13 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

func run2(a, b bool, n int, keys []string, raw string) {
	var groups map[string]map[string]int = nil
	groups["a"][names[0]] += 2 // want "nil"
}

func main() {
	run2(true, true, 0, []string{"b", "a", "c"}, `{"counts":{}}`)
}
