// Generated program (seed 900118), shrunk from 165 to 24 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

func run2(a, b bool, n int, keys []string, raw string) {
	reg := Store{}
	key := "a"
	ready := key != "a"
	for i2 := 0; i2 < 3; i2++ {
		if len(keys) > 0 && a {
		} else if ready {
			reg.items = make(map[string]int)
		} else {
			reg.items["a"] = 2 // want "nil"
		}
	}
}

func main() {
	run2(false, true, 0, []string{}, `null`)
}
