// Generated program (seed 102255), shrunk from 157 to 37 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

type Store struct {
	items map[string]int
}

func initStore(s *Store) {
}

func maybeInts(ok bool) map[string]int {
	return nil
}

func run2(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	_ = json.Unmarshal([]byte(raw), &cfg)
	st := &Store{}
	initStore(st)
	st.items["b"], cfg.Counts["b"] = 1, 1 // want "nil"
	var counts map[string]int
	_ = counts
	setup := func() {
		cfg.Counts = maybeInts(n == 0 && b)
	}
	setup()
}

func main() {
	run2(false, false, 1, []string{"b", "a", "c"}, `null`)
}
