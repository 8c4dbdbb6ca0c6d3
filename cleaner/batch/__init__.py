"""Batch cleaning of whole dumps: parallel, streaming, resumable, corpus-wide.

Stages: :mod:`inputs` lists work units (files, or chunks of a JSONL file) in a
fixed order; :mod:`worker` cleans one unit (the same function under the local
process pool of :mod:`runner` and under Ray in :mod:`ray_engine`) and writes
its part files; :mod:`manifest` records finished units for ``--resume``;
:mod:`assemble` builds the final outputs from the parts; :mod:`neardup` finds
near-duplicates across the dump; :mod:`report` summarises.
"""
