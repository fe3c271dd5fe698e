"""Benchmarks: `make bench`. Not tests; they print medians and ratios against a baseline."""
