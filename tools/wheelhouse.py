"""Build a wheelhouse for office PCs that cannot reach a package index.

    python tools/wheelhouse.py [-o wheelhouse] [--target win_amd64 --target linux] [--python 3.11 --python 3.12]

Builds evaltool's own wheel, then ``pip download``s it with every dependency as binary wheels for each
target platform and Python version (default: Windows x64 and Linux x86-64, Python 3.11 and 3.12), all
into one folder.  Copy the folder to the office PC and install without a network:

    pip install --no-index --find-links wheelhouse evaltool

Needs a network (or a reachable index) where it runs; exits 2 with pip's reason when a download fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# pip --platform tags each target accepts (newest first; pure-Python wheels fit every one).
TARGETS = {
    "win_amd64": ("win_amd64",),
    "linux": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
}
PYTHONS = ("3.11", "3.12")
# pip evaluates a dependency's environment markers on the machine it runs on, not the target: what a
# dependency needs only on the target is named here (click uses colorama on Windows).
ONLY_ON = {"win_amd64": ("colorama",)}


def pip(*args: str) -> None:
    """Run pip in this interpreter; its output is what the user needs when it fails."""
    done = subprocess.run([sys.executable, "-m", "pip", *args])
    if done.returncode:
        sys.exit(2)


def build(out: Path, targets: list[str], pythons: list[str]) -> Path:
    """evaltool's wheel and its dependencies in ``out``; the wheel's path."""
    out.mkdir(parents=True, exist_ok=True)
    pip("wheel", "--no-deps", "-q", "-w", str(out), str(ROOT))
    wheel = max(out.glob("evaltool-*.whl"), key=lambda p: p.stat().st_mtime)
    for target in targets:
        platforms = [arg for tag in TARGETS[target] for arg in ("--platform", tag)]
        for version in pythons:
            pip("download", "-q", "-d", str(out), "--only-binary=:all:", "--implementation", "cp",
                "--python-version", version, *platforms, str(wheel), *ONLY_ON.get(target, ()))
    return wheel


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("wheelhouse"))
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all")
    parser.add_argument("--python", action="append", help="default: " + ", ".join(PYTHONS))
    args = parser.parse_args(argv)
    build(args.out, args.target or list(TARGETS), args.python or list(PYTHONS))
    print(f"pip install --no-index --find-links {args.out} evaltool")


if __name__ == "__main__":
    main()
