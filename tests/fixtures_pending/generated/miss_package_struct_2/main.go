// Generated program (seed 300516), shrunk from 219 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var shared Store

func run1(a, b bool, n int, keys []string, raw string) {
	key := "b"
	for range 2 {
		inner, found := shared.index[key]
		if !found {
			shared.index[key] = inner // want "nil"
		}
	}
}

func main() {
	run1(false, false, 2, []string{"a", "b"}, `{"counts":{}}`)
}
