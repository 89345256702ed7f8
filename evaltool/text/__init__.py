"""Everything a user reads: the zh/en catalogue and the one renderer that turns findings, quantities
and subjects into text.

May import the model, the layout (for labels) and the findings; nothing imports ``text`` from
``workbook``, ``checks`` or ``derive``.
"""
