"""The core never loads Qt: importing every module of app/ and running headless commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, tmp_path: Path) -> str:
    env = dict(os.environ, SAFEDUTY_CONFIG_DIR=str(tmp_path), SAFEDUTY_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_importing_every_module_of_app_loads_no_pyside6(tmp_path: Path) -> None:
    code = """
import importlib, json, pkgutil, sys
import app
names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")
         if m.name not in ("app.__main__",)]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.startswith("PySide6"))
print(json.dumps({"modules": names, "qt": qt}))
"""
    found = json.loads(_run(code, tmp_path))
    assert "app.roster.service" in found["modules"]
    assert "app.cli" in found["modules"]
    assert found["qt"] == []


def test_headless_commands_load_no_pyside6(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    out = tmp_path / "r.xlsx"
    code = f"""
import json, sys
from app.cli import main
codes = [main(["--db", {str(db)!r}, "demo"]),
         main(["--db", {str(db)!r}, "roster", "list", "--format", "json"]),
         main(["--db", {str(db)!r}, "roster", "export", {str(out)!r}]),
         main(["--db", {str(db)!r}, "roster", "import", "--dry-run", {str(out)!r}]),
         main(["--db", {str(db)!r}, "check"])]
print(json.dumps({{"codes": codes,
                  "qt": sorted(m for m in sys.modules if m.startswith("PySide6"))}}))
"""
    last = _run(code, tmp_path).strip().splitlines()[-1]
    found = json.loads(last)
    assert found["codes"] == [0, 0, 0, 0, 0]
    assert found["qt"] == []
