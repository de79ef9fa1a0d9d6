"""Fuzzing: hostile input into the core actions, through the real backend."""
