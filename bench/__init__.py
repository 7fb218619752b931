"""Benchmarks, each a module run from the repository root: `python -m bench.<name> --help`.

Each prints JSON. They import the project as installed (`pip install -e .`) and the stand-in
Bot API from `tests.support`; none changes sys.path.
"""
