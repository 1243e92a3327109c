package main

import "fmt"

func put[K comparable, V any](m map[K]V, k K, v V) {
	m[k] = v
}

func main() {
	put[string, int](nil, "a", 1) // want `call of .put. writes to nil map`
	fmt.Println("done")
}
