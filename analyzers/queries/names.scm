; Every name a declaration mentions: what a function's analysis may depend on.
[
  (identifier)
  (field_identifier)
  (type_identifier)
] @name
