// Generated program (seed 107293), shrunk from 77 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

var names = []string{"a", "b", "c"}

func putValues(m url.Values, k string) {
	m.Set(k, "x") // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	var query url.Values
	putValues(query, names[0])
}

func main() {
	run1(false, false, 0, []string{"b", "a", "c"}, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
