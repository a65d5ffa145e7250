"""Dystonia-aware prescribing, as plain data and rules (no database, no Flask).

- `pattern`: the patient's pattern (which way the head is pulled, how strongly; tremor; other
  focal areas), its clinical terms with plain labels, and its checks.
- `movement`: how a catalog exercise relates to a pattern (its `[pattern]` table) and the
  retraining stages (`[retraining]`), with their checks.
- `direction`: the rules that turn a pattern and an exercise into a direction, a mirrored
  picture or not, and the therapist's warnings.
- `sentences`: every sentence that names a direction to the patient, whole, one per case.

The services (planner/services/patterns.py) store patterns and apply these rules to programs.
"""
