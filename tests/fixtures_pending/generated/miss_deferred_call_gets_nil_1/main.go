// Generated program (seed 300080), shrunk from 146 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var seen map[string]int

var names = []string{"a", "b", "c"}

func putInts(m map[string]int, k string) {
	m[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	defer putInts(seen, names[1])
}

func main() {
	run1(false, false, 3, []string{"a"}, `{"counts":{}}`)
}
