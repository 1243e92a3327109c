// A method that returns early on its argument never reaches its map write for that argument,
// so a caller that passes such an argument to a freshly built value cannot panic.
// Seen in grafana/k6 internal/js/modules/k6/browser/common/page_test.go (Page.On with a nil
// handler); the same kind in nats-io/nats-server server/parser_test.go (parse on a client
// without an account), caddyserver/caddy modules/caddyhttp/reverseproxy/hopheaders_test.go,
// tektoncd/pipeline pkg/credentials/gitcreds/creds_test.go and go-spew's internal_test.go.
package main

import (
	"errors"
	"fmt"
)

type Page struct {
	handlers map[string]func()
}

func (p *Page) On(event string, handler func()) error {
	if handler == nil {
		return errors.New("handler cannot be nil")
	}
	p.handlers[event] = handler
	return nil
}

func main() {
	p := &Page{} // OK: On returns before the write when the handler is nil

	err := p.On("metric", nil) // OK: the nil handler makes On return before it writes
	fmt.Println(err)
}
