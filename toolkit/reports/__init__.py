"""Consultant reports: a writer-neutral workbook model (model.py), its openpyxl writer (xlsx.py),
the assessment and comparison workbooks built on them, sharing levels (sharing.py) and the one text
neutraliser every export uses (safe.py)."""
