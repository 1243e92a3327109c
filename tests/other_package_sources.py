"""A two-package module whose finding rests on the other package: `main` writes a map that is
nil on the path calling `die.Usage`, which either never returns (no finding) or may return
(NM008). The command line's result cache and the language server both must follow `die`."""
from __future__ import annotations

MAIN_LINE_OF_WRITE = 16


def main_source(module: str) -> str:
    return f"""package main

import (
	"os"

	"{module}/die"
)

func main() {{
	var m map[string]int
	if len(os.Args) < 5 {{
		m = make(map[string]int)
	}} else {{
		die.Usage("too many arguments")
	}}
	m["a"] = 1
}}
"""


DIE_EXITS = """package die

import (
	"fmt"
	"os"
)

func Usage(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(2)
}
"""

DIE_RETURNS = DIE_EXITS.replace("\tos.Exit(2)", '\tif message == "" {\n\t\tos.Exit(2)\n\t}')
