// Generated program (seed 104280), shrunk from 217 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

var names = []string{"a", "b", "c"}

const keyB = "b"

func fillValues(p *url.Values, k string) {
}

func run2(a, b bool, n int, keys []string, raw string) {
	var query url.Values = nil
	setup := func() {
		fillValues(&query, names[1])
	}
	query.Set(keyB, "x") // want "nil"
	setup()
}

func main() {
	run2(true, false, 0, []string{"a"}, `{"counts":{}}`)
}
