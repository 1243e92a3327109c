// Generated program (seed 107536), shrunk from 131 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

func addInts(m map[string]int, k string) map[string]int {
	m[k]++ // want "nil"
	return m
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	counts := make(map[string]int)
	if len(counts) == 0 {
	}
	setup := func() {
		cfg.Counts = addInts(cfg.Counts, "b")
	}
	setup()
}

func main() {
	run1(false, false, 1, nil, `{"counts":{}}`)
}
