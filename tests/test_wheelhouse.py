"""The offline install: tools/wheelhouse.py's Linux wheelhouse installs evaltool with ``--no-index``.

Building it needs a reachable package index; the test is skipped when pip cannot download from one.
The install runs in a fresh venv with pip's configuration switched off, so only the wheelhouse is seen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.slow
def test_the_linux_wheelhouse_installs_offline(tmp_path):
    probe = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp_path / "probe"),
                            "waitress"], capture_output=True, text=True)
    if probe.returncode:
        pytest.skip("no package index reachable: " + (probe.stderr.strip().splitlines() or [""])[-1])
    house = tmp_path / "wheelhouse"
    built = subprocess.run([sys.executable, str(ROOT / "tools" / "wheelhouse.py"), "-o", str(house),
                            "--target", "linux", "--python", VERSION], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    assert built.stdout.strip().endswith(f"pip install --no-index --find-links {house} evaltool")
    assert all(p.suffix == ".whl" for p in house.iterdir())  # wheels only: nothing to compile offline

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links", str(house),
                              "evaltool"], capture_output=True, text=True, env=env)
    assert install.returncode == 0, install.stderr[-2000:]
    sample = ROOT / "samples" / "fengshun-2023.xlsx"
    out = tmp_path / "out.checked.xlsx"
    check = subprocess.run([str(python), "-m", "evaltool", "check", str(sample), "-o", str(out)],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert check.returncode == 0 and out.exists(), check.stdout + check.stderr
    shipped = ("import pathlib, evaltool.web.server, flask, waitress; "
               "here = pathlib.Path(evaltool.web.__file__).parent; "
               "assert all((here / f).is_file() for f in ('templates/index.html', 'static/app.js', 'static/app.css'))")
    page = subprocess.run([str(python), "-c", shipped], env=env, cwd=tmp_path)
    assert page.returncode == 0
