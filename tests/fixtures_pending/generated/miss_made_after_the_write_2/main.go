// Generated program (seed 106713), shrunk from 100 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var seen map[string]int

func putInts(m map[string]int, k string) {
	m[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	putInts(seen, "b")
	seen = make(map[string]int)
}

func main() {
	run1(true, false, 3, []string{}, `{"name":"a"}`)
}
