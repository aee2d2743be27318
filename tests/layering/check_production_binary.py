#!/usr/bin/env python3
"""Proves that the production binary carries none of the emulator.

`lifeboat` (the .deb's and the Lambda zip's binary) must load none of the libraries only
lifeboat-local links (ldd), and define none of lifeboat_local's functions nor any of
Boost.Beast's or simdjson's (nm -C). lifeboat-local is checked the other way round, so
that a check that stopped seeing symbols would fail instead of passing.

  check_production_binary.py --lifeboat BIN --local BIN --local-library liblifeboat_local.a
"""
import argparse
import re
import subprocess
import sys

EMULATOR_LIBRARIES = re.compile(r"^\s*(libzip|libsimdjson|libboost)\S*\.so")
# Names that would mean the emulator, or one of its libraries, was linked in.
EMULATOR_NAMES = ("lifeboat::LocalCloud", "lifeboat::LocalServer", "lifeboat::RunDemo",
                  "boost::beast", "boost::asio", "simdjson::", "zip_open")


def output(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def symbols(binary, *flags):
    """{demangled name: nm's type letter} of the symbols defined in `binary`."""
    found = {}
    for line in output("nm", "-C", "--defined-only", *flags, binary).splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3:
            found[parts[2]] = parts[1]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifeboat", required=True)
    parser.add_argument("--local", required=True)
    parser.add_argument("--local-library", required=True)
    args = parser.parse_args()
    failures = []

    libraries = output("ldd", args.lifeboat).splitlines()
    failures += [f"{args.lifeboat} loads {line.split()[0]}"
                 for line in libraries if EMULATOR_LIBRARIES.match(line)]
    if not any(EMULATOR_LIBRARIES.match(line) for line in output("ldd", args.local).splitlines()):
        failures.append(f"{args.local} loads none of libzip, libsimdjson: the ldd check sees nothing")

    production = symbols(args.lifeboat)
    if len(production) < 1000:
        failures.append(f"{args.lifeboat} has {len(production)} symbols: is it stripped? "
                        "the check needs the build tree's binary")
    for name in EMULATOR_NAMES:
        found = [s for s in production if name in s]
        failures += [f"{args.lifeboat} defines {s}" for s in found[:5]]
    local = symbols(args.local)
    if not any("lifeboat::LocalCloud" in s for s in local):
        failures.append(f"{args.local} defines no lifeboat::LocalCloud: the nm check sees nothing")

    # Every function lifeboat_local defines (strong text symbols: not the inline and template
    # code both libraries may instantiate) is absent from lifeboat.
    local_functions = [s for s, t in symbols(args.local_library, "-g").items() if t == "T"]
    if len(local_functions) < 100:
        failures.append(f"{args.local_library} defines {len(local_functions)} functions")
    shared = sorted(s for s in local_functions if s in production)
    failures += [f"{args.lifeboat} defines {s}, a function of lifeboat_local" for s in shared[:20]]

    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        return 1
    print(f"{args.lifeboat}: {len(production)} symbols, none of lifeboat_local's "
          f"{len(local_functions)} functions, no emulator library")
    return 0


if __name__ == "__main__":
    sys.exit(main())
