"""The compiled part of the package: jieba's block cut over a prefix trie (segment.py
falls back to the same algorithm in Python when it cannot be built, so a machine
without a C compiler still installs the package)."""
import sys

from setuptools import Extension, setup

# no fused multiply-add: the route's sums must round exactly as Python's floats do
flags = [] if sys.platform == "win32" else ["-ffp-contract=off"]
setup(ext_modules=[Extension("policy_extract._route", ["src/policy_extract/_route.c"],
                             extra_compile_args=flags, optional=True)])
