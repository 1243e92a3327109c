; The statements NM005 looks at for resets to nil and writes of map fields
; (`rules/map_field_reset.py`): assignments, `++` and `--`.
(assignment_statement) @store
(inc_statement) @store
(dec_statement) @store
