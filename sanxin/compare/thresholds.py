"""Thresholds of the matcher, fitted on a labelled set by `bench/compare_calibrate.py` (do not edit by hand).

Fitted 2026-12-03 on bench/registry_labels.py seed 7 (20,000 organizations, 100,000 rows): F1 0.9990
(precision 0.9999, recall 0.9982) over the automatic decisions, 0.00% of the rows left for review.
Evaluate on any other seed. Similarities are rapidfuzz ratios (0–100) of normalized names.
"""

AUTO_MATCH = 95.0  # name similarity at or above which the best candidate is taken (its address not elsewhere)
AT_SAME_ADDRESS = 92.5  # ... or this, at the same street and number
SOUND_ALIKE = 75.0  # ... or this, when the names differ only by characters that sound alike (address not elsewhere)
MARGIN = 0.0  # ... if it leads the runner-up by this much
REVIEW = 95.0  # below this the row is new
CODE_NAME = 95.0  # a different credit code: name similarity from which, with the same address, the code is corrected
CODE_DIGITS = 4  # ... if the two codes differ in at most this many places
