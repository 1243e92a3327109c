; The declarations a function may build a value in (`field_stores.py`): `x := &T{}` and
; `var x T`.
(short_var_declaration) @declaration
(var_spec) @spec
