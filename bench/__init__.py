"""Benchmarks on synthetic scale-ups, reported as ratios against a baseline run alongside (``python -m bench``)."""
