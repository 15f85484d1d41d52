"""What a management command prints after an import: the outcome, the counts, the problems and where."""

from __future__ import annotations

from django.core.management.base import CommandError

from openward.core.importers.base import BaseImporter, ImportFailed

SHOWN_PROBLEMS = 50


def run_and_report(command, importer: BaseImporter) -> None:
    """Run `importer`, print its counts and problems to the command's stdout, and fail the command if it failed."""
    try:
        run = importer.run()
    except ImportFailed as exc:
        lines = [f"{importer.name}: nothing was imported ({len(exc.problems)} problem(s)):"]
        lines += [f"  {p}" for p in exc.problems[:SHOWN_PROBLEMS]]
        if len(exc.problems) > SHOWN_PROBLEMS:
            where = f" (all are in import run {exc.run.pk})" if exc.run is not None else ""
            lines.append(f"  … and {len(exc.problems) - SHOWN_PROBLEMS} more{where}.")
        raise CommandError("\n".join(lines)) from None
    for key, value in sorted(run.counts.items()):
        command.stdout.write(f"  {key.replace('_', ' ')}: {value:,}")
    for problem in run.problems[:SHOWN_PROBLEMS]:
        command.stdout.write(f"  problem: {problem['where']}: {problem['message']}")
    if importer.commit:
        command.stdout.write(command.style.SUCCESS(f"{importer.name}: imported (run {run.pk})."))
    else:
        command.stdout.write(
            command.style.WARNING(f"{importer.name}: dry run, nothing was saved. Run again with --commit to save it.")
        )
