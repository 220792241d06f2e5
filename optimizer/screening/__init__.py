"""Eligibility screening of the candidate lists that kabupaten/kota social offices send.

Modules, one job each: :mod:`.columns` (headers and cell kinds), :mod:`.nik` (NIK
checks, masking), :mod:`.reading` (one list -> candidates), :mod:`.rules` (the SK's
criteria -> reasons), :mod:`.duplicates` (same NIK on several rows), :mod:`.ranking`
(priority order), :mod:`.screen` (the pipeline), :mod:`.select` (allocation -> who
receives it), :mod:`.render` (files and summaries).
"""
