// Generated program (seed 108135), shrunk from 152 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items Counts
}

type Counts map[string]int

const keyA = "a"

func (c *Counts) Put(k string) {
	(*c)[k] = 1 // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	var list [2]Store
	for _, item := range list {
		item.items.Put(keyA)
	}
}

func main() {
	run1(true, true, 0, []string{"b", "a", "c"}, `{"counts":{}}`)
}
