"""The project's one root exception, and the error for a broken file."""

from pathlib import Path


class ConsultbotError(Exception):
    """Root of every error this project raises on purpose."""


class FileProblem(ConsultbotError):
    """A config or consultation file is wrong: names the file, the key and the fix."""

    def __init__(self, path: Path | str, key: str, problem: str, fix: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: {key}: {problem}. Fix: {fix}")


class FileProblems(ConsultbotError):
    """Several problems found in one file, reported together so they can be fixed in one go."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
