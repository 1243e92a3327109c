// Positive twin of callee_returns_before_write_ok: the handler is not nil, so On writes the
// nil map. Seen in grafana/k6 internal/js/modules/k6/browser/common/page_test.go.
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
	p := &Page{} // want `.Page. built here leaves map field .handlers. nil`

	err := p.On("metric", func() {}) // want `call of .On. writes to nil map field .p.handlers.`
	fmt.Println(err)
}
