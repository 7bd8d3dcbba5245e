"""Run benchmark groups and print ONE JSON object on stdout (progress goes to stderr).

    python benchmarks/run.py [--only store[,ui,...]] [--clients N] [--large]
    python3 dev.py bench --only store

These are scripts, never timed tests. To add a group, write ``benchmarks/<name>_bench.py``
with ``run(opts: Options) -> dict`` (and optionally ``TARGETS``) and register it in GROUPS.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(ROOT))

from benchmarks import Options, log  # noqa: E402

# name -> module with run(opts) -> dict. One line per group.
GROUPS: dict[str, str] = {
    "store": "benchmarks.store_bench",
    "schedule": "benchmarks.schedule_bench",
    "server": "benchmarks.server_bench",
    "sync": "benchmarks.sync_bench",
    "ui": "benchmarks.ui_bench",
    "bundle": "benchmarks.bundle_bench",
    "overview": "benchmarks.overview_bench",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--only",
        metavar="NAME[,NAME]",
        help=f"groups to run (default: all available): {', '.join(GROUPS)}",
    )
    p.add_argument(
        "--clients", type=int, default=10_000, help="clients in the main run (default 10000)"
    )
    p.add_argument(
        "--large", action="store_true", help="also run at 100,000 clients (keys end in _100k)"
    )
    p.add_argument("--keep", action="store_true", help="keep the scratch folder (for debugging)")
    args = p.parse_args(argv)
    if args.clients < 100:
        p.error("--clients must be at least 100")
    if args.only is not None:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in GROUPS]
        if unknown or not names:
            p.error(
                f"unknown benchmark group(s): {', '.join(unknown) or '(none given)'}; "
                f"known groups: {', '.join(GROUPS)}"
            )
        args.groups = list(dict.fromkeys(names))
        args.explicit = True
    else:
        args.groups = list(GROUPS)
        args.explicit = False
    return args


def _check_targets(module: Any, result: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, (op, limit) in getattr(module, "TARGETS", {}).items():
        if key not in result:
            continue
        value = result[key]
        if op == "<=":
            met = value <= limit
        elif op == "between":
            met = limit[0] <= value <= limit[1]
        else:  # a typo in a TARGETS table
            raise ValueError(f"unknown target operator {op!r}")
        out[key] = {"value": value, "target": [op, limit], "met": met}
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    opts = Options(clients=args.clients, large=args.large, workdir=workdir)
    report: dict[str, Any] = {
        "groups": [],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": _cpu_count(),
        "loadavg_start": _loadavg(),
    }
    targets: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    try:
        for name in args.groups:
            try:
                module = importlib.import_module(GROUPS[name])
            except ImportError as exc:
                if args.explicit:
                    raise SystemExit(f"benchmark group {name!r} cannot run: {exc}") from exc
                skipped[name] = str(exc)
                log(f"skipping group {name}: {exc}")
                continue
            log(f"== group {name}")
            gdir = workdir / name
            gdir.mkdir()
            result = module.run(Options(opts.clients, opts.large, gdir))
            for key, value in result.items():
                if key in report and report[key] != value:
                    key = f"{name}.{key}"  # never silently overwrite another group's figure
                report[key] = value
            report["groups"].append(name)
            targets.update(_check_targets(module, result))
    finally:
        if args.keep:
            log(f"kept scratch folder {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["loadavg_end"] = _loadavg()  # other work on the machine skews the figures
    if skipped:
        report["skipped"] = skipped
    if targets:
        report["targets"] = targets
        missed = [k for k, t in targets.items() if not t["met"]]
        report["targets_missed"] = missed
        log("targets: all met" if not missed else f"targets missed: {', '.join(missed)}")
    print(json.dumps(report, indent=2))
    return 0


def _cpu_count() -> int | None:
    return os.cpu_count()


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on every platform
        return None


if __name__ == "__main__":
    sys.exit(main())
