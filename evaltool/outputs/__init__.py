"""Everything a check produces for people and programs: the console, the JSON document, the checked
copy (marks as a plan, 核查结果, 核查汇总, one style module) and the county summary workbook.

Reads findings and ``Derived`` and renders through ``evaltool.text``; imports anything below it.
Nothing imports ``outputs`` except ``cli`` and ``batch``.
"""
