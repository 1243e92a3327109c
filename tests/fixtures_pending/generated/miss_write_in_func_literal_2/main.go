// Generated program (seed 900298), shrunk from 94 to 32 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
	items Counts
}

type Base struct {
	attrs map[string]int
}

type Counts map[string]int

func run1(a, b bool, n int, keys []string, raw string) {
	st := &Store{items: make(Counts)}
	if n <= 1 {
		goto skip
	}
	st.attrs = make(map[string]int)
skip:
	for _, k3 := range []string{"a", "b"} {
		prepare := func() {
			st.attrs["a"+k3] += 2 // want "nil"
		}
		prepare()
	}
}

func main() {
	run1(false, true, 0, []string{}, `null`)
}
