// Generated program (seed 100120), shrunk from 75 to 18 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM001 (error) `write to
// nil map `tally`: declared at line 10 without make`.

package main

type Counts map[string]int

func (c *Counts) Init() {
	*c = make(Counts)
}

func run1(a, b bool, n int, keys []string, raw string) {
	var tally Counts
	tally.Init()
	tally["b"] = 2 // OK: the pointer-receiver Init() made this map (its address is taken implicitly)
}

func main() {
	run1(false, true, 1, []string{"b", "a", "c"}, `{}`)
}
