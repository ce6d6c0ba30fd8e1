"""Fitting and validation: published figures in, ``model/*.json`` and reports out.

The runtime model (:mod:`smartpick.model`) never imports this package; only the fitted JSON
files cross between them (``tests/test_architecture.py`` enforces it).
"""
