; Every identifier under a node (`flow/syntax.py`'s `mentioned_names`).
(identifier) @name
