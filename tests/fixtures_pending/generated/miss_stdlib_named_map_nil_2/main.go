// Generated program (seed 104397), shrunk from 160 to 15 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	query := url.Values(nil)
	query[names[1]] = []string{"x"} // want "nil"
}

func main() {
	run1(true, false, 0, []string{"a"}, `null`)
}
