"""The 自评报告 (narrative report): its text read safely and normalised (``text``), the figures and claims of
its sentences (``claims``), the report rules RPT01–RPT13 that verify them (``verify``), against a workbook
when one is given (``book``), and ``check`` (one report from path to findings).

May import the model, ``errors``, ``findings``, ``derive``, the scoring and the workbook side (its guard, reader
and layout); never ``text`` (words are made by the renderer) or ``outputs``.  Only ``cli``, ``batch`` and
``outputs`` import it.
"""
