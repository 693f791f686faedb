"""An honest dependency list: every library src/ imports is declared, nothing declared is unused,
no GPL package in the default install, and the declared lower bounds really work."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import sarkit

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(sarkit.__file__).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
# libraries that another declared one brings and that src/ may not name directly
IMPORT_NAME = {"python-calamine": "python_calamine", "python-docx": "docx", "markdown-it-py":
               "markdown_it", "msoffcrypto-tool": "msoffcrypto", "charset-normalizer":
               "charset_normalizer", "extract-msg": "extract_msg"}


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].strip().lower()


def declared() -> dict[str, str]:
    """Import name -> distribution name of every default dependency."""
    names = {requirement_name(spec) for spec in PYPROJECT["project"]["dependencies"]}
    return {IMPORT_NAME.get(name, name.replace("-", "_")): name for name in names}


def imported_by_src() -> set[str]:
    """The top-level names of every third-party module src/ imports, anywhere in a file."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.partition(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "sarkit"}


def test_every_imported_library_is_declared_and_every_declared_one_imported() -> None:
    imports, deps = imported_by_src(), declared()
    data_only = {"tzdata"}  # read by the standard library's zoneinfo, never imported by name
    extras = PYPROJECT["project"]["optional-dependencies"]
    # pandas: imported only inside the API's to_pandas(), which says how to install it
    optional = {"pandas"} & {requirement_name(spec) for spec in extras["pandas"]}
    assert sorted(imports - set(deps) - optional) == []  # imported, not declared
    assert sorted(set(deps) - imports - data_only) == []  # declared, never imported


def _closure(name: str, seen: set[str]) -> None:
    """Every distribution `name` needs, without extras, as installed here."""
    key = name.lower().replace("_", "-")
    if key in seen:
        return
    seen.add(key)
    for spec in metadata.requires(name) or []:
        if "extra ==" in spec or "extra==" in spec:
            continue
        marker = spec.partition(";")[2].strip()
        if marker and not _marker_holds(marker):
            continue
        dependency = requirement_name(spec)
        try:
            metadata.distribution(dependency)
        except metadata.PackageNotFoundError:
            continue
        _closure(dependency, seen)


def _marker_holds(marker: str) -> bool:
    from packaging.markers import Marker  # pip's own, always present beside pytest

    return Marker(marker).evaluate({"extra": ""})


def licence_of(name: str) -> str:
    meta = metadata.metadata(name)
    parts = [meta.get("License-Expression") or "", (meta.get("License") or "")[:200]]
    parts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " | ".join(p for p in parts if p)


def test_the_default_install_pulls_no_gpl_package() -> None:
    installed: set[str] = set()
    _closure("sarkit", installed)
    installed.discard("sarkit")
    assert "numpy" in installed and "python-calamine" in installed  # the closure was really walked
    gpl = {name: licence_of(name) for name in sorted(installed)
           if re.search(r"(?<!L)GPL|General Public License", licence_of(name))
           and "Lesser" not in licence_of(name) and "LGPL" not in licence_of(name)}
    assert gpl == {}


def floors() -> list[str]:
    """`name==lower bound` for every default dependency whose marker holds here."""
    pins = []
    for spec in PYPROJECT["project"]["dependencies"]:
        requirement, _, marker = spec.partition(";")
        if marker.strip() and not _marker_holds(marker.strip()):
            continue
        match = re.search(r">=\s*([0-9][^,;\s]*)", requirement)
        if match:
            pins.append(f"{requirement_name(requirement)}=={match.group(1)}")
    return pins


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("SARKIT_SKIP_FLOORS") == "1", reason="SARKIT_SKIP_FLOORS=1")
def test_the_declared_lower_bounds_run_the_example_review(tmp_path: Path) -> None:
    """Install sarkit with every dependency at its lower bound; validate and collate the example
    and get the same answers as with today's versions."""
    venv = tmp_path / "floors"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = str(bin_dir / "python")
    constraints = tmp_path / "floors.txt"
    constraints.write_text("\n".join(floors()) + "\n", "utf-8")
    source = tmp_path / "sarkit-source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "*.egg-info", "__pycache__", "build", "dist", ".venv", "out", "data"))
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--constraint",
         str(constraints), str(source)],
        capture_output=True, text=True, timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    versions = subprocess.run(
        [python, "-c", "import importlib.metadata as m, sys\n"
         "for line in sys.stdin: name = line.split('==')[0]; print(f'{name}=={m.version(name)}')"],
        input=constraints.read_text("utf-8"), capture_output=True, text=True, check=True,
    ).stdout.split()
    from packaging.version import Version

    got = {line.split("==")[0]: Version(line.split("==")[1]) for line in versions}
    wanted = {pin.split("==")[0]: Version(pin.split("==")[1]) for pin in floors()}
    assert got == wanted  # really the floors, not newer versions

    example = ROOT / "examples"
    env = {**os.environ, "PYTHONPATH": ""}

    def sarkit_run(python_path: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python_path, "-m", "sarkit", *args], capture_output=True,
                              text=True, cwd=example, env=env, timeout=300)

    at_floor = sarkit_run(python, "validate", "returns", "--format", "json")
    today = sarkit_run(sys.executable, "validate", "returns", "--format", "json")
    assert at_floor.returncode == today.returncode, at_floor.stderr[-3000:]
    assert json.loads(at_floor.stdout) == json.loads(today.stdout)
    collated = sarkit_run(python, "collate", "returns", "-o", str(tmp_path / "out" / "c.xlsx"))
    assert collated.returncode in (0, 1), collated.stderr[-3000:]
    assert (tmp_path / "out" / "c.xlsx").stat().st_size > 5000
    assert "Traceback" not in collated.stderr
    annotated = sarkit_run(python, "validate", "returns", "--annotate", str(tmp_path / "ann"),
                           "--feedback", str(tmp_path / "fb"))
    assert "Traceback" not in annotated.stderr and "Not annotated" not in annotated.stderr
    assert len(list((tmp_path / "ann").iterdir())) == len(list((example / "returns").iterdir()))
