// A pointer-receiver method that makes the field on every path that returns a nil error,
// called before the write by a caller that stops on its error, leaves the field made.
// Seen in caddyserver/caddy modules/caddytls/tls_wildcard_test.go (tlsApp.Provision(ctx) with
// t.Fatal on error, then tlsApp.Manage) and grafana/loki pkg/dataobj/index/stats_calculation_test.go
// (require.NoError(t, calc.Prepare(...)) then calc.ProcessBatch).
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
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
	app := &TLS{} // OK: Provision makes managing before Manage runs
	if err := app.Provision(os.Args[0]); err != nil {
		log.Fatal(err)
	}
	app.Manage([]string{"sub.example.com"}) // OK: Provision returned nil, so it made managing
	fmt.Println(len(app.managing))
}
