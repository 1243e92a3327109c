// Generated program (seed 108516), shrunk from 117 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	query := url.Values(nil)
	query.Add(keyOf(n), "x") // want "nil"
}

func main() {
	run1(true, false, 3, []string{"b", "a", "c"}, `{"name":"a"}`)
}
