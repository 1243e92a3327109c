// A method whose write is reached only when another field of the receiver is set cannot
// panic on a value built without that field. Seen in nats-io/nats-server server/parser_test.go
// and split_test.go: parse reaches the writes of c.pcd and c.in.pacache only for a client
// with an account (processInboundClientMsg returns at `c.acc == nil`).
package main

import "fmt"

type Account struct{ name string }

type client struct {
	acc *Account
	pcd map[*client]struct{}
}

func (c *client) deliver(msg string) {
	if c.acc == nil {
		return
	}
	c.pcd[c] = struct{}{}
}

func (c *client) parse(msg string) {
	if len(msg) > 0 {
		c.deliver(msg)
	}
}

func main() {
	c := &client{} // OK: without an account, parse never reaches the write of pcd

	c.parse("PUB foo 5") // OK: deliver returns at `c.acc == nil`
	fmt.Println(len(c.pcd))
}
