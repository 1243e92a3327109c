// A field set in the same method as the make (a `ready` flag) stands for the made map:
// `if !b.ready { b.init() }` before the write means the map is made when the write runs.
// Seen in grafana/loki pkg/engine/internal/executor/topk_batch.go (put: `if !b.ready { b.init() }`,
// flagged from topk_batch_test.go's `b := topkBatch{...}`) and pkg/dataobj/encoder.go
// (getTypeRef: `if !enc.typesReady { enc.initTypeRefs() }`).
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
	b := batch{} // OK: Put calls init first while ready is false

	b.Put("a") // OK: init made usedCount and set ready together
	b.Put("a")
	fmt.Println(b.usedCount["a"])
}
