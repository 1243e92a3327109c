// Positive twin of callee_returns_on_receiver_state_ok: the client has an account, so parse
// reaches the write of the nil pcd. Seen in nats-io/nats-server server/parser_test.go.
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
	c := &client{acc: &Account{name: "g"}} // want `.client. built here leaves map field .pcd. nil`

	c.parse("PUB foo 5") // want `call of .parse. writes to nil map field .c.pcd.`
	fmt.Println(len(c.pcd))
}
