// Generated program (seed 109567), shrunk from 134 to 14 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

func run1(a, b bool, n int, keys []string, raw string) {
	query, query2 := url.Values{}, url.Values(nil)
	query2.Add("a", "x") // want "nil"
	_ = query
}

func main() {
	run1(false, false, 1, []string{"a"}, `null`)
}
