// Generated program (seed 104046), shrunk from 149 to 23 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM003 (error) `write to
// nil map field `cp.meta.tags`: `Store` built at line 14 (main.go:14) leaves `tags` nil`.

package main

type Store struct {
	meta Meta
}

type Meta struct {
	tags map[string]int
}

const keyA = "a"

func run1(a, b bool, n int, keys []string, raw string) {
	reg := Store{}
	reg.meta.tags = make(map[string]int)
	cp := reg
	cp.meta.tags[keyA] = cp.meta.tags[keyA] + 1 // OK: a copy of a struct whose maps were all made
}

func main() {
	run1(true, false, 0, []string{}, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
