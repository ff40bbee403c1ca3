"""Tests of Partner Time."""
