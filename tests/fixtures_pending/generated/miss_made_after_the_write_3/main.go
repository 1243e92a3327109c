// Generated program (seed 108150), shrunk from 102 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var cache map[string]int

func putInts(m map[string]int, k string) {
	m[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	putInts(cache, "a")
	cache = make(map[string]int)
}

func main() {
	run1(true, true, 3, []string{}, `{}`)
}
