"""Flow-sensitive nil-map analysis shared by the rules: abstract values, the interpreter, summaries."""
