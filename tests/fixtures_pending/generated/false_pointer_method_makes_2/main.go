// Generated program (seed 101991), shrunk from 85 to 18 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM001 (error) `write to
// nil map `tally2`: set to nil at line 10`.

package main

type Counts map[string]int

func (c *Counts) Init() {
	*c = make(Counts)
}

func run1(a, b bool, n int, keys []string, raw string) {
	tally2 := Counts(nil)
	tally2.Init()
	tally2["a"]++ // OK: the pointer-receiver Init() made this map (its address is taken implicitly)
}

func main() {
	run1(false, false, 2, []string{}, `{"name":"a"}`)
}
