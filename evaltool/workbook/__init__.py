"""The .xlsx side: the template layout and its versions, the template writer, the package guard, the
streaming package reader (``read``, no openpyxl), the reader that turns a file into a ``Book``, and cell
parsing.

May import: ``evaltool.model``, ``evaltool.errors``, ``evaltool.atomic`` and the scoring rule sets (the
score sheet's rows come from them).  Never imports ``checks``, ``outputs`` or ``text``.
"""
