// Generated program (seed 108850), shrunk from 172 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

func maybeInts(ok bool) map[string]int {
	if ok {
		return make(map[string]int)
	}
	return nil
}

func run3(a, b bool, n int, keys []string, raw string) {
	counts := maybeInts(!a)
	for range 2 {
		counts["a"] += 2 // want "nil"
	}
}

func main() {
	run3(true, false, 2, []string{"a"}, `null`)
}
