"""Alongside's tests: unit, integration, ui, e2e and benchmarks."""
