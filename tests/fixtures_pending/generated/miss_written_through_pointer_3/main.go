// Generated program (seed 106760), shrunk from 180 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "strings"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func fillLabels(p *map[string]string, k string) {
	(*p)[k] = "x" // want "nil"
}

func run2(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	fillLabels(&cfg.Labels, strings.ToLower("A"))
}

func main() {
	run2(true, true, 2, []string{}, `{"name":"a"}`)
}
