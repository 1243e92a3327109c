// Generated program (seed 400249), shrunk from 97 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

var names = []string{"a", "b", "c"}

func fillValues(p *url.Values, k string) {
	(*p).Set(k, "x") // want "nil"
}

func run2(a, b bool, n int, keys []string, raw string) {
	var query url.Values
	fillValues(&query, names[1])
}

func main() {
	run2(false, true, 2, []string{"a", "b"}, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
