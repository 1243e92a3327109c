// Generated program (seed 107134), shrunk from 185 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

const keyA = "a"

func putValues(m url.Values, k string) {
	m.Set(k, "x") // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	var query url.Values
	defer putValues(query, keyA)
}

func main() {
	run1(true, true, 3, []string{"b", "a", "c"}, `null`)
}
