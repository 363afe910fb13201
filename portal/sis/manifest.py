"""manifest.csv: what the export holds. Its `file.<name>` declarations decide what is read.

OneRoster 1.1 declares every file `bulk` (a full snapshot), `delta` (changes only) or `absent`;
so does 1.2, whose roles.csv the import then needs (oneroster12.py).
The import takes full snapshots only, so a `delta` file it reads refuses the export. The
gradebook may be `absent`: families then see no grades ("nothing yet"). Demographics, and every
file the product never reads, may be anything: what is odd about them is a warning.
"""

from __future__ import annotations

from portal.sis import oneroster as ors
from portal.sis import oneroster12 as ors12
from portal.sis.csvfiles import NONE
from portal.sis.validator import Validator

# The files the import cannot do without: declaring one of them absent refuses the export.
NEEDED: tuple[str, ...] = tuple(
    n for n in ors.CORE_FILES if n not in (ors.MANIFEST, *ors.GRADEBOOK_FILES, *ors.UNREAD_FILES)
)
READ: tuple[str, ...] = (*NEEDED, *ors.GRADEBOOK_FILES)
# Grades are assignments and their results: without either, the whole gradebook is left out
# (assignments without results would all look missing to families).
GRADES_NEED: tuple[str, ...] = ("lineItems.csv", "results.csv")
ABSENT = "the manifest declares it absent"


def manifest(v: Validator) -> None:
    """Read the manifest's properties into `v.manifest` and its declarations into `v.skip`."""
    seen: dict[str, int] = {}
    for line, row in v.each(ors.MANIFEST, status=False):
        key, value = row["propertyName"].strip(), row["value"].strip()
        if key in seen:
            # Two declarations of a file the import reads contradict each other: refuse.
            report = v.c.fail if _name(key) in READ else v.warn
            report("propertyName", f"second row for {key} (first on line {seen[key]})")
            continue
        seen[key] = line
        v.manifest[key] = value
        if key == ors.VERSION_KEY and value not in ors.VERSIONS:
            v.c.fail("value", f"OneRoster version {value!r} is not supported (expected one of: "
                              f"{', '.join(ors.VERSIONS)})")  # fmt: skip
    # Declarations are weighed once every property is known, whatever the rows' order.
    for key, line in seen.items():
        if key.startswith("file."):
            v.c.line = line
            _declared(v, _name(key), key, v.manifest[key])
    for name in GRADES_NEED:
        if v.skip.get(name) == ABSENT:
            v.export.gradebook = False
            for other in ors.GRADEBOOK_FILES:
                v.skip.setdefault(other, f"the manifest declares {name} absent, so there are "
                                         "no grades")  # fmt: skip


def _name(key: str) -> str:
    """The file a `file.<name>` property declares ("users.csv"); "" for other properties."""
    return f"{key.removeprefix('file.')}.csv" if key.startswith("file.") else ""


def _needed(v: Validator) -> tuple[str, ...]:
    """The files this export cannot do without: a 1.2 export's users need its roles.csv."""
    twelve = v.manifest.get(ors.VERSION_KEY) == ors12.VERSION
    return (*NEEDED, ors12.ROLES_FILE) if twelve else NEEDED


def _declared(v: Validator, name: str, key: str, value: str) -> None:
    """Check one `file.<name>` declaration and note a file that is not to be read."""
    if name in ors.EXTENSION_FILES:
        return  # the product's own files, read whenever present: not the manifest's business
    needed = _needed(v)
    reads = name in READ or name in needed
    exists = (v.export.directory / name).is_file()
    looked_at = reads or name in ors.UNREAD_FILES  # its own check reports a missing file
    if value not in ors.MANIFEST_VALUES:
        report = v.c.fail if reads else v.warn
        report("value", f"bad value {value!r} for {key} (expected one of: "
                        f"{', '.join(ors.MANIFEST_VALUES)})")  # fmt: skip
    elif value == "delta":
        if reads:
            v.c.fail("value", f"{key} is a delta file: only full snapshots are accepted")
        else:
            v.warn("value", f"{key} is a delta file; the import does not read {name}")
    elif value == "absent":
        if name in needed:
            v.c.fail("value", f"{key} is absent, but the import needs {name}")
            return
        if looked_at:
            v.skip[name] = ABSENT  # its own check warns if it is there all the same
        elif exists:
            v.warnings.add(name, NONE, NONE, f"not read: {ABSENT}")
    elif not exists and not looked_at:
        text = "missing file (declared bulk; the import does not read it)"
        v.warnings.add(name, NONE, NONE, text)
