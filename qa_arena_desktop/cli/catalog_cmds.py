"""``qa-arena problems list`` and ``qa-arena submissions``."""

from __future__ import annotations

import argparse
from pathlib import Path

from qa_arena_desktop import paths
from qa_arena_desktop.catalog import store
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_OK
from qa_arena_desktop.console.output import error, print_json
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.packs.chapters import ChaptersError, chapter_progress, load_chapters
from qa_arena_desktop.packs.loader import load_packs


def run_problems_list(args: argparse.Namespace) -> int:
    catalog, _ = open_catalog()
    try:
        problems = store.list_problems(catalog)
    finally:
        catalog.close()
    if args.json:
        print_json([
            {"slug": p.slug, "title": p.title, "difficulty": p.difficulty.value,
             "mutants": p.mutants, "best_score": p.best_score, "tags": list(p.tags),
             "chapter": p.chapter}
            for p in problems
        ])
        return EXIT_OK
    width = max((len(p.slug) for p in problems), default=4)
    for p in problems:
        best = f"{p.best_score:5.1f}" if p.best_score is not None else "    -"
        mark = "✓" if p.solved else " "
        print(f"{mark} {p.slug:<{width}}  {p.difficulty.value:<9}  {p.mutants:>2} mutants  "
              f"best {best}  {p.title}")
    print(f"{len(problems)} problems")
    _print_path(problems)
    return EXIT_OK


def _print_path(problems: list[store.ProblemSummary]) -> None:
    """The learning path's chapters and the progress through each (docs/pack-format.md)."""
    try:
        chapters = load_chapters(paths.problems_dir())
    except ChaptersError as exc:
        error(str(exc))
        return
    if chapters:
        print("learning path:")
        for progress in chapter_progress(chapters, problems):
            print(f"  {progress.describe()}")


def run_problems_import(args: argparse.Namespace) -> int:
    """Load each pack (every error reported) and add or update it in the catalog.

    Imported problems show up in the app's browser like bundled ones; a bundled pack of
    the same slug is not overwritten (rename the slug to import your own version).
    """
    packs, errors = load_packs([Path(p) for p in args.paths])
    for problem in errors:
        error(str(problem))
    catalog, _ = open_catalog()
    try:
        bundled = store.problem_slugs(catalog, origin="bundled")
        imported = 0
        for pack in packs:
            if pack.slug in bundled:
                error(f"{pack.origin}: slug {pack.slug!r} is a bundled problem; "
                      "give your pack another slug")
                continue
            outcome = store.upsert_pack(catalog, pack, origin="imported")
            print(f"{outcome:9} {pack.slug}  ({pack.title}, {len(pack.mutants)} mutants)")
            imported += 1
    finally:
        catalog.close()
    print(f"{imported} of {len(args.paths)} packs imported")
    return EXIT_OK if imported == len(args.paths) else EXIT_BAD_INPUT


def run_submissions(args: argparse.Namespace) -> int:
    catalog, _ = open_catalog(sync=False)
    try:
        rows = store.list_submissions(catalog, args.problem)
    finally:
        catalog.close()
    if args.json:
        print_json([
            {"id": s.id, "problem": s.problem, "status": s.status.value, "score": s.score,
             "killed_mutants": s.killed_mutants, "total_mutants": s.total_mutants,
             "created_at": s.created_at.isoformat() + "Z",
             "finished_at": s.finished_at.isoformat() + "Z" if s.finished_at else None}
            for s in rows
        ])
        return EXIT_OK
    for s in rows:
        score = f"{s.score:5.1f}" if s.score is not None else "    -"
        print(f"{s.created_at:%Y-%m-%d %H:%M}  {s.problem:<28} {s.status.value:<8} {score}  "
              f"{s.killed_mutants}/{s.total_mutants}  {s.id[:8]}")
    print(f"{len(rows)} submissions")
    return EXIT_OK
