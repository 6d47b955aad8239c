"""Classroom features: grade a class's test files in one batch, report, and move the judge.

Headless (no Qt): the ``qa-arena grade`` and ``qa-arena image export|import``
commands are thin wrappers around this package, and the desktop app can reuse it.

* :mod:`.batch` grades many files with a bounded pool; one bad file is one ERROR row.
* :mod:`.state` remembers what was graded so a re-run skips unchanged files.
* :mod:`.reports` writes the gradebook CSV and the JSON report (with kill matrices).
* :mod:`.mte` exports a submission in the mutation-testing-elements report schema.
* :mod:`.image_transfer` saves and loads the judge image for labs without a registry.
* :mod:`.feedback` and :mod:`.student_reports`: one report per student, per feedback profile.
* :mod:`.lms_export`: the roster, and Canvas's or Moodle's grade import CSV.
* :mod:`.class_analytics` and :mod:`.class_report_html`: the class report.
* :mod:`.invalid_tests`: ``--invalid drop``, tests that fail on golden left out one by one.
* :mod:`.distributed` (instructor), :mod:`.worker` (lab machines), :mod:`.wire` (the
  messages) and :mod:`.broker` (Celery and Redis, the optional ``classroom`` extra)
  grade a class on many machines with the same rows as a local batch.
"""
