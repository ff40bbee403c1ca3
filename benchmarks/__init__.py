"""Benchmarks: Partner Time against HA's schedule helper + automation."""
