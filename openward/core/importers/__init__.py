from .base import BaseImporter, ImportFailed, Problem, RowProblems

__all__ = ["BaseImporter", "ImportFailed", "Problem", "RowProblems"]
