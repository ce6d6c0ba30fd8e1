"""The application tracker (pure): events of a saved plan → the updated odds and warnings.

:mod:`.events` validates what the user records, :mod:`.timing` says how much a program's
silence means on a date, :mod:`.posterior` applies Bayes' rule on the applicant's strength and
re-forecasts the list, :mod:`.status` puts it together for a saved plan, and :mod:`.export`
writes the events as JSON or CSV. See ``docs/tracker.md``.
"""
