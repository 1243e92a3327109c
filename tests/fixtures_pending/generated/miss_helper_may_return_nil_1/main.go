// Generated program (seed 900147), shrunk from 60 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "net/url"

func maybeValues(ok bool) url.Values {
	if ok {
		return make(url.Values)
	}
	return nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	query := make(url.Values)
	query = maybeValues(n > 1)
	for i3 := range 2 {
		query.Add("a", "x") // want "nil"
		if i3 != 0 {
		}
	}
}

func main() {
	run1(true, true, 0, nil, `{"counts":{}}`)
}
