"""A batch with one review file (--review) for every plan: each report names that file's content, and a
changed review file makes every plan be checked again."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from layoutcheck import batch as B

from .test_batch import NAMES, drawings  # noqa: F401 - drawings is a fixture

REVIEW = ('[[confirm]]\nrule = "equipment.required"\nitem = "信息栏"\nfound = true\n'
          'by = "王工"\ndate = "2026-12-01"\n')


def test_every_plan_of_a_batch_records_the_review_files_sha256_and_a_changed_review_rechecks_them(
        tmp_path, drawings):  # noqa: F811 - the fixture
    src = tmp_path / "plans"
    src.mkdir()
    for name in NAMES:
        shutil.copy2(drawings[name], src / f"{name}.dxf")
    review = tmp_path / "review.toml"
    review.write_text(REVIEW, encoding="utf-8")
    options = B.Options(lang="en", review=str(review))

    def run() -> B.BatchResult:
        tasks = B.discover(src, standard=str(drawings["light"]), population=30000)
        return B.run_batch(tasks, tmp_path / "out", jobs=1, options=options)

    first = run()
    assert (first.checked, first.skipped) == (3, 0)
    sha = hashlib.sha256(REVIEW.encode("utf-8")).hexdigest()  # the bytes written above
    reports = [B.read_report(p) for p in sorted(Path(tmp_path / "out" / "reports").glob("*.json"))]
    assert len(reports) == 3
    assert {r[B.STATE_KEY]["settings"]["review_sha256"] for r in reports} == {sha}

    again = run()  # nothing changed: nothing checked
    assert (again.checked, again.skipped) == (0, 3)

    review.write_text(REVIEW.replace("found = true", "found = false"), encoding="utf-8")
    changed = run()  # the review says something else now: every plan's report is out of date
    assert (changed.checked, changed.skipped) == (3, 0)
