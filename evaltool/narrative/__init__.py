"""The 自评报告 (narrative report, DOMAIN §9), both ways.

Checking a report: its text read safely and normalised (``text``), the figures and claims of its sentences
(``claims``), the report rules RPT01–RPT13 that verify them (``verify``), against a workbook when one is
given (``book``), and ``check`` (one report from path to findings).  Drafting one: ``content`` turns a
checked workbook (its ``Book``, ``Derived`` figures and findings) into the report's words and recomputed
figures, the variables of a docxtpl template; ``draft`` renders the standard template (``standard`` writes
``templates/standard.docx`` in 公文 style) or a county's own and writes the .docx.

May import the model, ``errors``, ``atomic``, ``findings``, ``derive``, the scoring and the workbook side
(its guard, reader and layout); never ``text`` (words for people are made by the renderer; the report's own
sentences are Chinese document text, made here) or ``outputs``.  Only ``cli``, ``batch`` and ``outputs``
import it.  python-docx, docxtpl and pdfplumber are imported inside functions only.
"""
