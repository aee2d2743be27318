#!/usr/bin/env python3
"""Fails unless ignoring a Status or a Result<T> is a compile error.

Status and Result are [[nodiscard]] (src/common/status.h): a dropped error is a bug until a
caller says why it is safe, with an explicit `(void)` and a comment. This compiles three
small files against the real header with -Werror=unused-result: one that ignores a
Status and one that ignores a Result must fail, naming nodiscard; one that discards both
explicitly must compile (so a failure is the attribute's doing, not a broken setup).

  check_nodiscard.py --cxx g++ --src SRC
"""
import argparse
import os
import subprocess
import sys
import tempfile

PROLOGUE = """#include "common/status.h"
lifeboat::Status MakeStatus();
lifeboat::Result<int> MakeResult();
"""
CASES = {
    "ignores a Status": ("void Use() { MakeStatus(); }", False),
    "ignores a Result": ("void Use() { MakeResult(); }", False),
    "discards both explicitly": ("void Use() { (void)MakeStatus(); (void)MakeResult(); }", True),
}


def compile_snippet(cxx, src, body):
    with tempfile.NamedTemporaryFile("w", suffix=".cc", delete=False) as f:
        f.write(PROLOGUE + body + "\n")
        path = f.name
    try:
        return subprocess.run(
            [cxx, "-std=c++20", "-fsyntax-only", "-Werror=unused-result", "-I", src, path],
            capture_output=True, text=True, check=False)
    finally:
        os.unlink(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cxx", required=True)
    parser.add_argument("--src", required=True)
    args = parser.parse_args()
    failures = []
    for name, (body, should_compile) in CASES.items():
        run = compile_snippet(args.cxx, args.src, body)
        compiled = run.returncode == 0
        if compiled != should_compile:
            failures.append(f"code that {name} {'did not compile' if should_compile else 'compiled'}"
                            + (f": {run.stderr.strip()}" if run.stderr.strip() else ""))
        elif not should_compile and "nodiscard" not in run.stderr:
            failures.append(f"code that {name} failed for another reason: {run.stderr.strip()}")
    for failure in failures:
        print(f"check_nodiscard: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
