"""Progress bars for the terminal (rich): one bar per dataset, advancing stage by stage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress as RichProgress, TaskID, TextColumn, TimeElapsedColumn



class Progress:
    """Receives progress from the pipeline; the CLI shows it with rich, tests and cron ignore it."""

    def dataset_started(self, dataset: str, stages: int) -> None: ...
    def stage(self, dataset: str, stage: str) -> None: ...
    def dataset_done(self, dataset: str) -> None: ...

_STAGE_TEXT = {"city": "reading city records", "osm": "reading OSM", "match": "matching",
               "diff": "comparing", "report": "writing reports", "store": "saving the state",
               "push": "pushing accepted changes", "notes": "reading OSM notes"}


class _RichProgress(Progress):
    def __init__(self, bars: RichProgress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}
        self.stages_done: dict[str, int] = {}
        self.totals: dict[str, int] = {}

    def dataset_started(self, dataset: str, stages: int) -> None:
        self.tasks[dataset] = self.bars.add_task(dataset, total=stages, stage="starting")
        self.totals[dataset] = stages
        self.stages_done[dataset] = 0

    def stage(self, dataset: str, stage: str) -> None:
        # The bar shows the stage under way; it fills as each one finishes.
        self.bars.update(self.tasks[dataset], completed=self.stages_done[dataset],
                         stage=_STAGE_TEXT.get(stage, stage))
        self.stages_done[dataset] += 1

    def dataset_done(self, dataset: str) -> None:
        self.bars.update(self.tasks[dataset], completed=self.totals[dataset], stage="done")


@contextmanager
def console_progress(*, quiet: bool = False) -> Iterator[Progress]:
    """Rich progress bars on stderr; silent when quiet or when stderr is not a terminal (cron)."""
    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield Progress()
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[stage]}"),
               TimeElapsedColumn())
    with RichProgress(*columns, console=console, transient=False) as bars:
        yield _RichProgress(bars)
