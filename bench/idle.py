"""Whether the machine is idle, judged by what it gives a process, not by the load average.

The load average counts every task that is running, waiting for a core, or in uninterruptible
sleep: on some machines a kernel thread sleeps that way for good and keeps it near 2 or 3 while
every core is free. What a benchmark needs to know is whether its own processes get the cores:

- a short spin on each core (one process per core, each busy for `SPIN_SECONDS` of wall time):
  the CPU time they got over the wall time they spun, 100 % when nothing else wants the cores;
- the kernel's CPU pressure (/proc/pressure/cpu, Linux 4.20 and later): the share of the last
  10 seconds in which some runnable task waited for a core.

`measure()` gives both; `Idleness.busy` is what the benches' "NOT idle" warnings say.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path

SPIN_SECONDS = 0.3
# Below this share of the cores the spin got, or above this CPU pressure, a wall time is inflated.
FREE_AT_LEAST = 0.9
PRESSURE_AT_MOST = 10.0  # percent of the last 10 s


@dataclass(frozen=True)
class Idleness:
    free: float  # the share of its wall time each core's spin got as CPU time (0-1, the lowest core's)
    pressure: float | None  # /proc/pressure/cpu "some avg10" in percent; None where the kernel has none
    load: float  # the 1-minute load average, for reference only

    @property
    def busy(self) -> bool:
        """Whether the benchmark's processes would wait for a core (so wall times are inflated)."""
        return self.free < FREE_AT_LEAST or (self.pressure is not None and self.pressure > PRESSURE_AT_MOST)

    def said(self) -> str:
        """One line: what was measured and the verdict."""
        pressure = "no /proc/pressure/cpu" if self.pressure is None else f"CPU pressure {self.pressure:.1f} %"
        verdict = "NOT idle: wall times are inflated" if self.busy else "idle"
        return (
            f"{verdict} (a {SPIN_SECONDS:g} s spin on each of {os.cpu_count()} cores got {self.free:.0%} of its "
            f"time as CPU; {pressure} over the last 10 s; load average {self.load:.2f}, not used to judge)"
        )


def measure() -> Idleness:
    """Spin one process per core for SPIN_SECONDS and read the CPU pressure (about SPIN_SECONDS of wall time)."""
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        free = min(pool.map(_spin, [SPIN_SECONDS] * (os.cpu_count() or 1)))
    return Idleness(free, _pressure(), os.getloadavg()[0])


def _spin(seconds: float) -> float:
    """Busy for `seconds` of wall time; the CPU time got over the wall time taken."""
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        pass
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def _pressure() -> float | None:
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(part.split("=", 1) for part in some.split()[1:])
    return float(fields["avg10"]) if "avg10" in fields else None


if __name__ == "__main__":
    print(measure().said())
