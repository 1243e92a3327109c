// Generated program (seed 109300), shrunk from 214 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	var counts map[string]int
	key := "b"
	if a || n == 0 {
		cfg = Config{}
	}
	cfg.Counts[key] = 2 // want "nil"
	counts["a"+key] = n
}

func main() {
	run1(true, true, 2, []string{"a", "b"}, `{"counts":{}}`)
}
