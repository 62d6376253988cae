"""Structural fact visitors, one module each. A module exposes `VISITORS`: a list of libcst
visitor classes constructed with the core FactExtractor (see structure.py)."""
