; Composite literals with their written type: `T{...}`, `[]T{...}`, `map[K]T{...}`.
; (Elided element literals, `{...}` inside `[]T{...}`, have no type of their own.)
(composite_literal
  type: (_) @literal.type
  body: (literal_value) @literal.body) @literal
