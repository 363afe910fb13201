"""The nightly import function's zip: the API's packages, then portal/sis and what it imports.

It starts from Chalice's deployment.zip (chalicelib and its libraries, built for Lambda's
platform), leaves out app.py (the routes), and adds the portal modules the handler imports
(followed through their import statements, so nothing is listed by hand) and the pure-Python
distributions they need that the zip lacks (Rich for the importer's summary, with its own
requirements). boto3 comes with the Lambda runtime; nothing of the site, the notices' PDF tools
or Chromium may ride along.
"""

from __future__ import annotations

import ast
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from .iam import ROOT

ENTRY = ROOT / "portal" / "sis" / "nightly.py"
FIRST_PARTY = ("portal",)
# What the Lambda Python runtime already has: the AWS SDK and its requirements.
RUNTIME = frozenset({"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"})
LEFT_OUT = ("app.py",)  # the API's routes
# The site, the notices (PDF, QR codes, sanitizer, templates), Chromium's driver, the CLI.
FORBIDDEN = (
    "mkdocs", "material", "weasyprint", "pydyf", "qrcode", "nh3", "markdown", "jinja2",
    "babel", "playwright", "typer", "click", "yaml", "aiosmtpd", "boto3", "botocore",
)  # fmt: skip
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024  # Lambda's limit for a function's code
STAMP = (1980, 1, 1, 0, 0, 0)  # every entry's time: the same sources give the same zip


def portal_modules(entry: Path = ENTRY) -> list[Path]:
    """The portal source files the entry imports, directly or not, with their packages."""
    found: set[Path] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for package in path.relative_to(ROOT).parents:
            init = ROOT / package / "__init__.py"
            if package.parts and init.is_file():
                todo.append(init)  # a package runs its __init__ before any of its modules
        for name in _imported_names(path):
            todo += [p for p in _module_files(name) if p not in found]
    return sorted(found)


def _imported_names(path: Path) -> set[str]:
    """Dotted names a file imports (`from a.b import c` gives a.b and a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = path.relative_to(ROOT).parent.parts
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def _module_files(name: str) -> list[Path]:
    """The portal source file a dotted name is, if any."""
    if name.split(".")[0] not in FIRST_PARTY:
        return []
    base = ROOT.joinpath(*name.split("."))
    return [p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()]


def third_party(files: list[Path]) -> set[str]:
    """Top-level names the files import that neither Python nor the runtime nor we provide."""
    tops = {name.split(".")[0] for path in files for name in _imported_names(path)}
    return {t for t in tops if t and t not in sys.stdlib_module_names
            and t not in FIRST_PARTY and t not in RUNTIME}  # fmt: skip


def distributions(tops: set[str], present: set[str]) -> list[metadata.Distribution]:
    """The installed distributions of these imports and their requirements, minus those whose
    packages are already present."""
    owners = metadata.packages_distributions()
    todo = sorted({d for top in tops - present for d in owners.get(top, [top])})
    seen: dict[str, metadata.Distribution] = {}
    while todo:
        name = todo.pop()
        dist = metadata.distribution(name)
        key = dist.metadata["Name"].lower()
        if key in seen:
            continue
        seen[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return [d for key, d in sorted(seen.items()) if not _tops(d) & (present | RUNTIME)]


def _tops(dist: metadata.Distribution) -> set[str]:
    """The top-level names a distribution installs."""
    return {f.parts[0].split(".")[0] for f in dist.files or [] if f.parts[0] != ".."}


def build(deployment_zip: Path, out: Path) -> Path:
    """Write the import function's zip from the API's deployment.zip."""
    entries: dict[str, bytes] = {}
    with zipfile.ZipFile(deployment_zip) as api:
        for info in api.infolist():
            if not info.is_dir() and info.filename not in LEFT_OUT:
                entries[info.filename] = api.read(info)
    present = {name.split("/")[0].split(".")[0] for name in entries}
    modules = portal_modules()
    for path in modules:
        entries[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    for dist in distributions(third_party(modules), present):
        for file in dist.files or []:
            if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue  # scripts outside site-packages, and bytecode of this machine
            entries[file.as_posix()] = Path(str(dist.locate_file(file))).read_bytes()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, STAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return out


def problems(zip_path: Path) -> list[str]:
    """Why the import zip is not fit for the function (empty when it is)."""
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    names = {info.filename for info in infos}
    tops = {name.split("/")[0].split(".")[0].lower() for name in names}
    found = [f"{name} is in {zip_path.name}" for name in FORBIDDEN if name in tops]
    size = sum(info.file_size for info in infos)
    if size > MAX_UNZIPPED_BYTES:
        found.append(f"{zip_path.name} unpacks to {size / 1e6:.0f} MB, over Lambda's 250 MB")
    handler = ENTRY.relative_to(ROOT).as_posix()
    if handler not in names:
        found.append(f"{handler} is missing from {zip_path.name}")
    return found
