// Generated program (seed 101403), shrunk from 134 to 25 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM003 (error) `write to
// nil map field `stores[0].items`: `Store` made at line 12 with zero-valued elements (main.go:12)
// leaves `items` nil`.

package main

type Store struct {
	items map[string]int
}

func ensureInts(p *map[string]int) {
	*p = make(map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	stores := make([]Store, 2)
	key := "a"
	if key == "a" {
		for i2 := range stores {
			ensureInts(&stores[i2].items)
		}
		stores[0].items["a"] = stores[0].items["a"] + 1 // OK: the loop made this element's map through a variable index
	}
}

func main() {
	run1(true, false, 2, []string{"b", "a", "c"}, `null`)
}
