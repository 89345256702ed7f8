"""Scoring rule sets (TOML) and the indicator scores recomputed from a workbook's figures.

May import the model and the workbook layout; never ``checks``, ``outputs`` or ``text``.
"""
