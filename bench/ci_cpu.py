"""Where a command's CPU goes, by kind of process (not run in CI).

    .venv/bin/python bench/ci_cpu.py                         # bash .ci/run, from a clean clone of this checkout
    .venv/bin/python bench/ci_cpu.py -- make test            # any command, here in this checkout
    .venv/bin/python bench/ci_cpu.py --interval 0.25 -- ...  # sample more often (default 0.5 s)
    .venv/bin/python bench/ci_cpu.py --against 22c5332 --rounds 2 # CI at HEAD and at 22c5332, alternately

CI is bound by CPU on a 2-core machine: its wall time is about half the CPU seconds of everything it runs (the
suite's two passes, Chromium, PostgreSQL's server) plus the install. This prints those CPU seconds by kind, read
from /proc while the command runs (every process, whoever started it; a process that lives less than one interval
may be missed), and how busy the machine was over time.

Kinds: Python of the SQLite pass and of the PostgreSQL pass (told apart by DATABASE_URL in the process's
environment; the processes the suite starts count with the pass that started them, except those it points at
PostgreSQL itself), Playwright's driver (node), Chromium by process type (renderer, browser, gpu-process, utility),
PostgreSQL's server, and the rest by program name.

The machine's speed varies: the same CI run took 527 s and 638 s an hour apart here, and 606 s and 932 s on two
days, with CPU seconds to match. So it also times a fixed pure-Python loop before and after the command ("machine
speed": the same work, so a slower machine reads higher), to tell a change in the code from a change in the machine.
Compare two versions by running them alternately, more than once each (--against does), and compare CPU seconds
and means, not one wall time: the same code took 511, 513 and 577 s within two hours at the same speed reading.
--keep DIR copies the clone's test-artifacts/ (the two passes' JUnit files, the PostgreSQL pass's log) and the
command's whole output (output.log: each CI step says when it began) to DIR.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def kind_of(pid: int) -> str | None:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    if not command:
        return "kernel or exited"
    if "chrom" in command:
        process_type = re.search(r"--type=([a-z-]+)", command)
        return "chromium " + (process_type.group(1) if process_type else "browser")
    if "driver/node" in command:
        return "playwright driver (node)"
    if command.startswith("postgres"):
        return "postgresql server"
    if "python" in command or "pytest" in command:
        try:
            environment = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            environment = b""
        return "python, PostgreSQL pass" if b"DATABASE_URL=postgres" in environment else "python, SQLite pass"
    return Path(command.split(" ")[0]).name


def cpu_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class Sampler(threading.Thread):
    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.seen: dict[int, tuple[str, int, int]] = {}  # pid -> (kind, ticks when first seen, ticks last seen)
        self.ended: collections.Counter = collections.Counter()  # CPU-s of processes whose pid was reused
        self.busy: list[float] = []  # the machine's busy share over each interval
        self.stopping = threading.Event()

    def run(self) -> None:
        first = True
        last_busy, last_total = machine_ticks()
        while not self.stopping.is_set():
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                pid = int(entry)
                if pid == os.getpid():
                    continue  # the sampling itself
                ticks = cpu_ticks(pid)
                if ticks is None:
                    continue
                if pid in self.seen and self.seen[pid][2] <= ticks:
                    kind, start, _ = self.seen[pid]
                    self.seen[pid] = (kind, start, ticks)
                else:  # new: what it used before sampling began is not this command's
                    if pid in self.seen:  # the pid of a process that ended, reused
                        kind, start, last = self.seen[pid]
                        self.ended[kind] += (last - start) / TICKS
                    self.seen[pid] = (kind_of(pid) or "?", ticks if first else 0, ticks)
            first = False
            busy, total = machine_ticks()
            if total > last_total:
                self.busy.append((busy - last_busy) / (total - last_total))
            last_busy, last_total = busy, total
            self.stopping.wait(self.interval)

    def by_kind(self) -> collections.Counter:
        used = collections.Counter(self.ended)
        for kind, start, last in self.seen.values():
            used[kind] += (last - start) / TICKS
        return used


SPEED_LOOP = "import time\nt = time.process_time()\ns = 0\nfor i in range(10_000_000): s += i\nprint(time.process_time() - t)"


def machine_speed() -> float:
    """CPU seconds of ten million additions in a new Python, the best of three (lower is faster)."""
    return min(float(subprocess.run([sys.executable, "-c", SPEED_LOOP], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(3))


@dataclasses.dataclass
class Run:
    """One command's run: its exit status, how long it took, the CPU seconds by kind, the machine's speed and how busy it was."""

    status: int
    wall: float
    used: collections.Counter
    speed_before: float
    speed_after: float
    busy: list[float]

    @property
    def cpu(self) -> float:
        return sum(self.used.values())

    @property
    def idle(self) -> float:
        """The share of the run the machine's cores were idle."""
        return 1 - sum(self.busy) / len(self.busy) if self.busy else 0.0

    def report(self, command: list[str]) -> None:
        print(f"{' '.join(command)}: exit status {self.status}, {self.wall:.0f} s wall, {self.cpu:.0f} CPU-s sampled "
              f"({self.cpu / self.wall:.2f} cores on average of {os.cpu_count()})")
        for kind, seconds in self.used.most_common():
            if seconds >= 0.5:
                print(f"  {seconds:8.1f} CPU-s  {100 * seconds / self.cpu:5.1f} %  {kind}")
        print(f"machine speed: {self.speed_before:.2f} s before, {self.speed_after:.2f} s after "
              "(a fixed loop; lower is faster)")
        if self.busy:
            saturated = sum(1 for share in self.busy if share >= 0.95) / len(self.busy)
            print(f"machine busy: {100 * (1 - self.idle):.0f} % on average, "
                  f"at least 95 % for {100 * saturated:.0f} % of the time")


def measure(command: list[str], *, revision: str | None, interval: float, keep: Path | None) -> Run:
    """Runs the command (in this checkout), or `bash .ci/run` in a clean clone of `revision` (HEAD if None)."""
    with tempfile.TemporaryDirectory(prefix="mentora-ci-cpu-") as scratch:
        where = ROOT
        if not command:
            where = Path(scratch) / "clone"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
            if revision:
                subprocess.run(["git", "-C", str(where), "checkout", "-q", revision], check=True)
            command = ["bash", ".ci/run"]
        speed_before = machine_speed()
        sampler = Sampler(interval)
        sampler.start()
        started = time.monotonic()
        with open(Path(scratch) / "output.log", "w") as output:
            status = subprocess.run(command, cwd=where, stdout=output, stderr=subprocess.STDOUT).returncode
        wall = time.monotonic() - started
        sampler.stopping.set()
        sampler.join()
        speed_after = machine_speed()
        if keep and (where / "test-artifacts").is_dir():
            shutil.copytree(where / "test-artifacts", keep, dirs_exist_ok=True)
            shutil.copy(Path(scratch) / "output.log", keep / "output.log")
        if status != 0:
            print((Path(scratch) / "output.log").read_text()[-3000:], file=sys.stderr)
    return Run(status, wall, sampler.by_kind(), speed_before, speed_after, sampler.busy)


def compare(against: str, rounds: int, interval: float) -> int:
    """CI from clean clones of HEAD and of `against`, alternately (ABBA: each round swaps which goes first, so a
    machine slowing down or speeding up over the hours weighs on both alike), then each one's mean."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    runs: list[tuple[str, Run]] = []
    print(f"{'run':>4}  {'code':<14} {'status':>6} {'wall':>7} {'CPU-s':>7} {'idle':>5}  speed before / after")
    for number in range(2 * rounds):
        label, revision = (("HEAD " + head, None), ("base " + against, against))[(number + number // 2) % 2]
        run = measure([], revision=revision, interval=interval, keep=None)
        runs.append((label, run))
        print(f"{number + 1:>4}  {label:<14} {run.status:>6} {run.wall:>6.0f}s {run.cpu:>7.0f} "
              f"{100 * run.idle:>4.0f}%  {run.speed_before:.2f} / {run.speed_after:.2f}", flush=True)
    for label in dict.fromkeys(label for label, _ in runs):
        mine = [run for mine_label, run in runs if mine_label == label]
        print(f"{label}: mean {statistics.mean(r.wall for r in mine):.0f} s wall "
              f"({', '.join(f'{r.wall:.0f}' for r in mine)}), {statistics.mean(r.cpu for r in mine):.0f} CPU-s")
    return max(run.status for _, run in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--keep", type=Path, help="copy the clone's test-artifacts/ here (CI runs only)")
    parser.add_argument("--against", metavar="REVISION",
                        help="compare CI at HEAD with CI at this revision: clean clones of each, run alternately")
    parser.add_argument("--rounds", type=int, default=2, help="with --against: runs of each (default 2)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command (after --); default: bash .ci/run")
    options = parser.parse_args()
    command = [part for part in options.command if part != "--"]
    if options.against:
        if command or options.keep or options.rounds < 1:
            parser.error("--against compares CI runs: it takes no command and no --keep, and --rounds of 1 or more")
        if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", options.against + "^{commit}"],
                          capture_output=True).returncode != 0:
            parser.error(f"--against: no commit {options.against!r} in this repository")
        return compare(options.against, options.rounds, options.interval)
    run = measure(command, revision=None, interval=options.interval, keep=options.keep)
    run.report(command or ["bash", ".ci/run"])
    return run.status


if __name__ == "__main__":
    sys.exit(main())
