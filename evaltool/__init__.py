"""evaltool: checks the figures of 部门整体支出绩效自评 workbooks."""

__version__ = "0.1.0"
