// Generated program (seed 103211), shrunk from 55 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Counts map[string]int

var registry = make(Counts)

func (c *Counts) Put(k string) {
	(*c)[k] = 1 // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	registry = nil
	registry.Put("a")
}

func main() {
	run1(false, false, 0, []string{"a", "b"}, `{"name":"a"}`)
}
