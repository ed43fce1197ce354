"""The screening domain: pure functions and records, no I/O. Its modules may run compiled (mypyc) or from
source; `service.native` picks which, before this package is imported."""
