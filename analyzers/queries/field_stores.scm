; The stores of struct fields a package makes (`field_stores.py`): assignments (`x.F = v`)
; and the keyed elements of composite literals (`F: v`).
(assignment_statement) @assignment
(keyed_element) @keyed
