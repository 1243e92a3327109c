"""Generated Go programs, run by the Go runtime and compared with nilmap.

`generator` builds deterministic programs from a seed, `batch` builds many of them into one
binary and runs each, `verdicts` compares what ran with what nilmap reports, and `shrink`
reduces a disagreement to a small program kept as a fixture candidate.
"""
