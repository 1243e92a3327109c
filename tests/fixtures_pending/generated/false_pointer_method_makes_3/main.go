// Generated program (seed 106479), shrunk from 124 to 18 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM001 (error) `write to
// nil map `tally`: set to nil at line 10`.

package main

type Counts map[string]int

func (c *Counts) Init() {
	*c = make(Counts)
}

func run1(a, b bool, n int, keys []string, raw string) {
	tally := Counts(nil)
	tally.Init()
	tally["a"]++ // OK: the pointer-receiver Init() made this map (its address is taken implicitly)
}

func main() {
	run1(true, true, 1, []string{"b", "a", "c"}, `null`)
}
