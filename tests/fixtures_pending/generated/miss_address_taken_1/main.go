// Generated program (seed 104354), shrunk from 67 to 16 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var cache map[string]int

func resetInts(p *map[string]int) {
}

func run1(a, b bool, n int, keys []string, raw string) {
	resetInts(&cache)
	cache["a"]++ // want "nil"
}

func main() {
	run1(true, false, 0, []string{"a"}, `{"labels":null}`)
}
