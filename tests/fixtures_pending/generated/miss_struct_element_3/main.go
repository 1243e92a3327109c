// Generated program (seed 600371), shrunk from 139 to 35 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

func newInts() map[string]int {
	return make(map[string]int)
}

func (s Store) PutCopy(k string) {
	s.items[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	list := make([]Store, 2)
	key := "a"
	for i2 := range list {
		for _, item := range list {
			if key != "a" {
				list[i2].items = newInts()
			} else {
				list[i2].PutCopy("a")
				if len(item.items) == 0 {
				}
			}
		}
	}
}

func main() {
	run1(false, false, 3, []string{"a", "b"}, `{}`)
}
