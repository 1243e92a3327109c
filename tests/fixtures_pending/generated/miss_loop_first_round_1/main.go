// Generated program (seed 107992), shrunk from 115 to 28 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Counts map[string]int

func run1(a, b bool, n int, keys []string, raw string) {
	var tally2 Counts
	ready := len(keys) > 0
	for i2 := range n {
		if ready {
			switch len(keys) {
			case 1:
			case 2:
				tally2 = make(Counts)
			case 0:
			default:
			}
			tally2["a"] = tally2["a"] + 1 // want "nil"
		} else {
		}
		if i2 == 0 {
		}
	}
}

func main() {
	run1(true, true, 2, []string{"b", "a", "c"}, `null`)
}
