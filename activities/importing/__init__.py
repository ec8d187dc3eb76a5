"""Spreadsheet import of activities and participations (the street committees' .xlsx files).

Four steps, each refusing bad input with a Chinese message and saving nothing; all or nothing:

1. `files.check_upload`: the file itself (size, a genuine .xlsx, not a zip bomb).
2. `sheet.read_sheet`: the rows' cell values with their row numbers; wrong headers, merged cells,
   formulas and too many rows are refused. `sheet.COLUMNS` are the template's columns.
3. `rows.plan_import`: every row checked against the database and grouped into planned activities;
   each problem reported with its row number and column.
4. `saving.plan_validate`: the plan checked as the services check every write (the year lock);
   `saving.plan_save` saves a plan without problems in one transaction, with history.

`template.template_workbook` is the .xlsx to fill: the same columns, drop-down lists, an example
row and a sheet of instructions. The services (`activities/services.py`) drive the steps.
"""
