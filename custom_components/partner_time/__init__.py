"""Partner Time: protect agreed household times from the phone."""
