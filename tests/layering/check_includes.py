#!/usr/bin/env python3
"""Fails when a core file includes a local one: the layering of docs/architecture.md.

lifeboat_core (what runs in production) must never depend on lifeboat_local (the emulator):
no file in a core directory, tests and tests/fakes included, may include a header of a
local directory, nor a header of a library only the emulator links. Every directory under
src/ must be named core or local, so that a new one cannot slip in unclassified.

  check_includes.py --src SRC --core agent aws ... --local local events ... [--also DIR...]
"""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# Headers of the libraries that only lifeboat_local links (src/CMakeLists.txt).
EMULATOR_LIBRARIES = ("boost/", "simdjson", "zip.h")


def sources(directory):
    for dirpath, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith((".h", ".cc")):
                yield os.path.join(dirpath, name)


def violations(path, local_dirs):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, header = m.groups()
            if kind == '"' and header.split("/")[0] in local_dirs:
                yield number, f'includes "{header}", a header of lifeboat_local'
            elif kind == "<" and header.startswith(EMULATOR_LIBRARIES):
                yield number, f"includes <{header}>, a library only lifeboat_local links"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True, help="the src/ directory")
    parser.add_argument("--core", nargs="+", required=True, help="core directories under src/")
    parser.add_argument("--local", nargs="+", required=True, help="local directories under src/")
    parser.add_argument("--also", nargs="*", default=[], help="more core directories (tests/fakes)")
    args = parser.parse_args()

    failures = []
    present = {d for d in os.listdir(args.src) if os.path.isdir(os.path.join(args.src, d))}
    for d in sorted(present - set(args.core) - set(args.local)):
        failures.append(f"{os.path.join(args.src, d)}: neither core nor local "
                        "(name it in src/CMakeLists.txt)")
    core_dirs = [os.path.join(args.src, d) for d in args.core] + args.also
    checked = 0
    for directory in core_dirs:
        for path in sources(directory):
            checked += 1
            for number, why in violations(path, set(args.local)):
                failures.append(f"{path}:{number}: a core file {why}")
    if checked == 0:
        failures.append("no core file found: the check checked nothing")
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print("lifeboat_core must not depend on lifeboat_local (docs/architecture.md)",
              file=sys.stderr)
        return 1
    print(f"{checked} core files include nothing of lifeboat_local")
    return 0


if __name__ == "__main__":
    sys.exit(main())
