// Generated program (seed 100868), shrunk from 70 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

func putValues(m url.Values, k string) {
	m.Set(k, "x") // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	var query url.Values
	defer putValues(query, "a")
}

func main() {
	run1(true, true, 1, []string{}, `{"counts":{}}`)
}
