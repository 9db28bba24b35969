"""The fair-consultation record: a self-contained folder a councillor can open and check.

`gather` reads what the record needs through storage; `tables` turns it into plain tables;
`page` draws them as one HTML page with no scripts and no outside assets; `folder` writes the
page, the tables as CSV, every consultation file version and the exports into one folder.
"""
