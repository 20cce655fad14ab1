"""Thresholds of the matcher, fitted on a labelled set by `bench/compare_calibrate.py` (do not edit by hand).

Fitted on bench/registry_labels.py seed 7; evaluated on other seeds. Similarities are rapidfuzz ratios (0–100)
of normalized names.
"""

AUTO_MATCH = 93.0  # name similarity at or above which the best candidate is taken (its address not elsewhere)
AT_SAME_ADDRESS = 75.0  # ... or this, at the same street and number
SOUND_ALIKE = 75.0  # ... or this, when the names differ only by characters that sound alike (address not elsewhere)
MARGIN = 5.0  # ... if it leads the runner-up by this much
REVIEW = 75.0  # below this the row is new
CODE_NAME = 90.0  # a different valid credit code: name similarity from which, with the same address, the code is corrected
CODE_DIGITS = 4  # ... if the two codes differ in at most this many places
