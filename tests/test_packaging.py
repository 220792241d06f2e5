"""What ``pip install .`` installs: every package of the source tree and every data file the
code reads (a package missing from ``setup.cfg`` is absent from a normal install while an editable
install, the tests' own, still finds it: ``wrse sweep`` once failed with ImportError that way)."""

from __future__ import annotations

import configparser
import subprocess
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _options():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    packages = set(config["options"]["packages"].split())
    folders = {
        name.strip(): value.strip()
        for line in config["options"]["package_dir"].strip().splitlines()
        for name, value in [line.split("=")]
    }
    data = {name: [p.strip() for p in value.split(",")] for name, value in config["options.package_data"].items()}
    return packages, folders, data


def _folder(package: str, folders: dict[str, str]) -> Path:
    return ROOT / folders.get(package, package.replace(".", "/"))


def _tracked(folder: str) -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / n for n in names]


def test_every_package_of_the_source_tree_is_installed():
    packages, folders, _ = _options()
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "optimizer").rglob("__init__.py")}
    assert found - packages == set(), "packages missing from setup.cfg [options] packages"
    for package in packages:
        assert _folder(package, folders).is_dir(), package


def test_every_data_file_is_installed():
    """Each tracked non-Python file under a package is matched by that package's package_data."""
    packages, folders, data = _options()
    missing = []
    for package in sorted(packages):
        folder = _folder(package, folders)
        inner = {p for p in packages if p != package and _folder(p, folders).is_relative_to(folder)}
        for path in _tracked(str(folder.relative_to(ROOT))):
            if path.suffix == ".py" or any(path.is_relative_to(_folder(p, folders)) for p in inner):
                continue
            relative = path.relative_to(folder).as_posix()
            if not any(fnmatch(relative, pattern) for pattern in data.get(package, [])):
                missing.append(f"{package}: {relative}")
    assert not missing, missing
