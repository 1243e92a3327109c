; The nodes the interpreter's syntactic questions are about (`flow/syntax_index.py`):
; what a range assigns, takes the address of, hands to calls or stores into, and whether
; it holds closures, deferred calls or a `goto`.
(assignment_statement) @store
(inc_statement) @store
(dec_statement) @store
(unary_expression) @unary
(call_expression) @call
(func_literal) @deferred
(defer_statement) @deferred
(goto_statement) @goto
