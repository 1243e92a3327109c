package main

import "fmt"

// new(expr) (Go 1.26) points at a copy of the value: a copy of a made map is the same map.
func main() {
	labels := make(map[string]string)
	p := new(labels)
	(*p)["team"] = "core" // OK: the copy shares the made map
	fmt.Println(len(labels))
}
