"""The 自评报告 (DOMAIN §9): a draft .docx made from a checked workbook, every figure recomputed.

``content`` turns a checked workbook (``checker.Result``: the ``Book``, its ``Derived`` figures and
findings) into the report's words and figures, the variables of a docxtpl template; ``draft`` renders a
template (the standard one, or a county's own) with them and writes the .docx; ``standard`` generates the
standard template (``templates/standard.docx``) in 公文 style.

May import everything below it (workbook, model, derive, scoring, findings, checker, text, atomic);
nothing imports ``narrative`` except ``cli`` and ``batch``.  docxtpl and python-docx are imported inside
functions only, so the command's start-up stays light.
"""
