// Positive twin of init_method_checked_error_ok: the error of Provision is ignored, and on its
// error path it returns before the make. Seen (as the safe form) in caddyserver/caddy
// modules/caddytls/tls_wildcard_test.go.
package main

import (
	"errors"
	"fmt"
)

type TLS struct {
	events   string
	managing map[string]string
}

func (t *TLS) Provision(events string) error {
	if events == "" {
		return errors.New("getting events app")
	}
	t.events = events
	t.managing = make(map[string]string)
	return nil
}

func (t *TLS) Manage(names []string) {
	for _, n := range names {
		t.managing[n] = "internal"
	}
}

func main() {
	app := &TLS{} // want `.TLS. built here leaves map field .managing. nil`
	_ = app.Provision("")
	app.Manage([]string{"sub.example.com"}) // want `call of .Manage. writes to nil map field .app.managing.`
	fmt.Println(len(app.managing))
}
