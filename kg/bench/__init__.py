"""Measurement: quality against gold, speed against baselines measured in the same run.

:mod:`.evaluate` scores extraction with the SPEC scorer, :mod:`.suite` is ``kg bench``,
and :mod:`.corpus` generates the articles it runs on.
"""
