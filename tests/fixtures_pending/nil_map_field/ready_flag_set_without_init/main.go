// Positive twin of ready_flag_lazy_init_ok: the value is built with the flag already set, so
// Put skips init and writes the nil map. Seen (as the safe form) in grafana/loki
// pkg/engine/internal/executor/topk_batch.go.
package main

import "fmt"

type batch struct {
	ready     bool
	usedCount map[string]int
}

func (b *batch) init() {
	b.usedCount = make(map[string]int)
	b.ready = true
}

func (b *batch) Put(rec string) {
	if !b.ready {
		b.init()
	}
	b.usedCount[rec]++
}

func main() {
	b := batch{ready: true} // want `.batch. built here leaves map field .usedCount. nil`

	b.Put("a") // want `call of .Put. writes to nil map field .b.usedCount.`
	fmt.Println(b.usedCount["a"])
}
