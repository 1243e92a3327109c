; The names a struct type declares for its fields (not embedded ones, which have none):
; what a function reads of a struct it never builds is only the fields it names.
(field_declaration
  name: (field_identifier) @field)
