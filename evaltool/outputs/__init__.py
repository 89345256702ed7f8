"""Outputs of a check: the console table and the checked copy of the workbook."""
