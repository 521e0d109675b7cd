"""Measurement: quality against gold, speed against baselines measured in the same run.

:mod:`.evaluate` scores extraction with the SPEC scorer; :mod:`.suite` is ``kg bench``,
its sections in :mod:`.extraction`, :mod:`.storebench` and :mod:`.queries` and its tables
in :mod:`.report`; :mod:`.corpus` generates the articles it runs on from :mod:`.casting`.
"""
