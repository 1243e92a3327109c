// Generated program (seed 300102), shrunk from 183 to 21 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

func putValues(m url.Values, k string) {
	m.Set(k, "x") // want "nil"
}

func run3(a, b bool, n int, keys []string, raw string) {
	var query url.Values = nil
	key := "a"
	if key == "a" {
		putValues(query, "b")
	}
}

func main() {
	run3(false, false, 0, nil, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
