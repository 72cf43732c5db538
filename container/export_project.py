"""Copies the files one installed distribution owns (its RECORD, plus the bytecode of its modules) into
a directory that mirrors the filesystem, for the image to COPY on top of its dependencies.

    python export_project.py DISTRIBUTION DESTINATION

Used at image build time only: it keeps the project in a layer of its own, so a code change rebuilds a
few megabytes and the dependency layer is reused.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import sys


def main(distribution: str, destination: str) -> int:
    files = importlib.metadata.distribution(distribution).files or []
    copied = 0
    for record in files:
        source = os.path.normpath(str(record.locate()))
        candidates = [source]
        if source.endswith(".py"):
            candidates.append(importlib.util.cache_from_source(source))
        for path in candidates:
            if os.path.isfile(path):
                target = destination + path
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(path, target)
                copied += 1
    if not copied:
        sys.exit(f"export_project: no files found for {distribution}")
    print(f"export_project: {copied} files of {distribution}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
