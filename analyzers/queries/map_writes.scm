; Statements that may write into a map: the places the flow analysis looks at.
; A function none of whose statements match is never interpreted.

; m[k] = v, m[k] += v, a, m[k] = 1, 2
(assignment_statement
  left: (expression_list (index_expression) @write.target)) @write

; m[a.B][c.D] = v, which tree-sitter reads as a generic type instantiated with types
(assignment_statement
  left: (expression_list (type_instantiation_expression) @write.target)) @write

; m[k]++ and m[k]--
(inc_statement (index_expression) @write.target) @write
(dec_statement (index_expression) @write.target) @write
(inc_statement (type_instantiation_expression) @write.target) @write
(dec_statement (type_instantiation_expression) @write.target) @write

; h.Set(k, v), s.Add(k), once.Do(f): methods that may write their receiver's maps
(call_expression
  function: (selector_expression
    operand: (_) @write.receiver
    field: (field_identifier) @write.method)) @write.call
