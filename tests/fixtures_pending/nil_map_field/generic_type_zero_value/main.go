package main

import "fmt"

type Cache[K comparable, V any] struct {
	m map[K]V
}

func (c *Cache[K, V]) Put(k K, v V) {
	c.m[k] = v
}

func main() {
	var c Cache[string, int] // want `.Cache. built here leaves map field .m. nil`
	c.Put("a", 1)            // want `call of .Put. writes to nil map field .c.m.`
	fmt.Println(len(c.m))
}
