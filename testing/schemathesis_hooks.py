"""Loaded into the contract test's schemathesis process (SCHEMATHESIS_HOOKS).

CPython 3.11's `ast.parse` is not thread-safe: two threads parsing at once can fail with
"SystemError: AST constructor recursion depth mismatch" (CPython issue 106905, fixed in
later versions). Schemathesis's two workers are threads that reach it through Hypothesis's
descriptions of filter functions: once in about ten runs, a "Runtime Error" that says
nothing about the API. One parse at a time.
"""

import ast
import sys
import threading

if sys.version_info < (3, 12):
    _lock = threading.Lock()
    _parse = ast.parse

    def _serialised_parse(*args, **kwargs):
        with _lock:
            return _parse(*args, **kwargs)

    ast.parse = _serialised_parse
