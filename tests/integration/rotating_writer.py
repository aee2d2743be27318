"""A log writer that rotates its files the ways real systems do, and remembers every line.

Each line is unique and numbered (`w=<id> seq=00000123 file=app ... pad=...`), of variable
length, sometimes written in two write() calls with a pause in between, so a reader sees
partial lines. Files are `<dir>/<name>.log`, rotated every `rotate_every` seconds by:

  rename        shift app.log.N -> app.log.N+1, mv app.log app.log.1; the application keeps
                writing a few lines to its old descriptor, then reopens app.log
  create        like rename, but the new app.log is created (empty) by the rotator first, as
                logrotate's `create` does; the application reopens it a moment later
  copytruncate  cp app.log app.log.1, then truncate app.log in place; the writer is paused
                from before the copy until after the truncate, so the copy holds every line
  delete        mv app.log app.log.1, reopen app.log, then delete app.log.1 `delete_after`
                seconds later: a reader must ship it through the descriptor it holds
  truncate      the application truncates its own log in place (ftruncate of its descriptor)

Bytes that were never read before an in-place truncate (copytruncate, truncate) are gone
for any reader; `barrier`, if given, is called with the writer paused just before each
in-place truncate (e.g. to wait until the agent has shipped everything written so far).

Library:  w = RotatingWriter(dir, mode="rename", names=("app", "web")); w.start(); ...;
          w.stop(); w.lines  (every line written, in order, as bytes)
CLI:      python3 rotating_writer.py DIR --mode create --seconds 5 --record lines.txt
"""
import argparse
import os
import random
import shutil
import sys
import threading
import time

MODES = ("rename", "create", "copytruncate", "delete", "truncate")


class RotatingWriter:
    def __init__(self, directory, mode="rename", names=("app",), seed=1, writer_id=None,
                 lines_per_second=2000, line_bytes=(24, 600), rotate_every=(0.6, 1.2),
                 split_probability=0.05, delete_after=0.2, barrier=None, modes=None):
        """mode: one of MODES; modes: a sequence to cycle through instead (one per rotation).
        rotate_every: (min, max) seconds between rotations of each file, or None for never."""
        for m in (modes or (mode,)):
            if m not in MODES:
                raise ValueError(f"unknown rotation mode {m!r}; known: {MODES}")
        self.dir = directory
        self.modes = list(modes or (mode,))
        self.names = list(names)
        self.writer_id = writer_id if writer_id is not None else seed
        self.rng = random.Random(seed)
        self.lines_per_second = lines_per_second
        self.line_bytes = line_bytes
        self.rotate_every = rotate_every
        self.split_probability = split_probability
        self.delete_after = delete_after
        self.barrier = barrier
        self.lines = []          # every complete line written, in order
        self.bytes_written = 0   # sum of len(lines)
        self.rotations = {m: 0 for m in MODES}
        self.rotations_of = {n: 0 for n in names}  # per file name
        self.error = None
        self._seq = 0
        self._fds = {}
        self._next_rotation = {}
        self._rotation_count = 0
        self._pending_deletes = []  # (due time, path)
        self._stop = threading.Event()
        self._thread = None
        self._started = None
        self._owed_from = 0
        os.makedirs(directory, exist_ok=True)
        for name in self.names:
            self._fds[name] = self._open(name, create=True)
            self._schedule(name)

    # -- public --------------------------------------------------------------------------
    def path(self, name):
        return os.path.join(self.dir, name + ".log")

    def start(self):
        self._thread = threading.Thread(target=self._run, name="rotating-writer", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Finishes the line being written, deletes what is due for deletion, closes files.
        Raises what the writer thread raised, if anything."""
        self._stop.set()
        if self._thread:
            self._thread.join(60)
        self._finish()
        if self.error:
            raise self.error

    def run_for(self, seconds):
        self._stop.clear()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._stop.is_set():
            self.step()
        self._finish()

    def write_lines(self, count, name=None):
        """Writes `count` whole lines now (to `name`, or spread over the files)."""
        for _ in range(count):
            self._write_line(name or self.rng.choice(self.names))

    def rotate(self, name, mode=None):
        mode = mode or self.modes[self._rotation_count % len(self.modes)]
        self._rotation_count += 1
        getattr(self, "_rotate_" + mode)(name)
        self.rotations[mode] += 1
        self.rotations_of[name] += 1

    # -- one step: a batch of lines, due rotations and deletions ---------------------------
    def step(self):
        # Paced by the clock: as many lines as are owed since the writer started.
        if self._started is None:
            self._started, self._owed_from = time.monotonic(), len(self.lines)
        owed = int((time.monotonic() - self._started) * self.lines_per_second)
        for _ in range(min(owed - (len(self.lines) - self._owed_from), 1000)):
            self._write_line(self.rng.choice(self.names))
        now = time.monotonic()
        for name in self.names:
            if self.rotate_every and now >= self._next_rotation[name]:
                self.rotate(name)
                self._schedule(name)
        self._delete_due(now)
        time.sleep(0.01)

    def _run(self):
        try:
            while not self._stop.is_set():
                self.step()
        except BaseException as e:  # surfaced by stop()
            self.error = e

    def _finish(self):
        for _, path in self._pending_deletes:
            if self.delete_after > 0:
                time.sleep(min(self.delete_after, 0.05))
            _remove(path)
        self._pending_deletes.clear()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    # -- lines -----------------------------------------------------------------------------
    def _make_line(self, name):
        self._seq += 1
        head = f"w={self.writer_id} seq={self._seq:08d} file={name} t={time.time():.6f} pad="
        size = self.rng.randint(*self.line_bytes)
        pad_len = max(1, size - len(head) - 1)
        pad = ("abcdefghijklmnopqrstuvwxyz0123456789" * (pad_len // 36 + 1))[:pad_len]
        return (head + pad + "\n").encode()

    def _write_line(self, name, fd=None):
        line = self._make_line(name)
        fd = self._fds[name] if fd is None else fd
        if self.rng.random() < self.split_probability:
            cut = self.rng.randint(1, len(line) - 1)
            _write_all(fd, line[:cut])
            time.sleep(self.rng.uniform(0.001, 0.03))
            _write_all(fd, line[cut:])
        else:
            _write_all(fd, line)
        self.lines.append(line)
        self.bytes_written += len(line)

    # -- rotations -------------------------------------------------------------------------
    def _open(self, name, create):
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0)
        return os.open(self.path(name), flags, 0o640)

    def _schedule(self, name):
        if self.rotate_every:
            self._next_rotation[name] = time.monotonic() + self.rng.uniform(*self.rotate_every)

    def _shift(self, name):
        """app.log.N -> app.log.N+1 for every N, highest first, freeing app.log.1."""
        base = self.path(name)
        numbers = sorted((int(f.rsplit(".", 1)[1]) for f in os.listdir(self.dir)
                          if f.startswith(name + ".log.") and f.rsplit(".", 1)[1].isdigit()),
                         reverse=True)
        for n in numbers:
            os.rename(f"{base}.{n}", f"{base}.{n + 1}")
        return base + ".1"

    def _write_to_old(self, name, old_fd):
        # The application has not reopened yet: these lines land in the rotated file.
        for _ in range(self.rng.randint(1, 5)):
            self._write_line(name, fd=old_fd)
        time.sleep(self.rng.uniform(0.0, 0.05))

    def _rotate_rename(self, name):
        os.rename(self.path(name), self._shift(name))
        old = self._fds[name]
        self._write_to_old(name, old)
        self._fds[name] = self._open(name, create=True)
        os.close(old)

    def _rotate_create(self, name):
        os.rename(self.path(name), self._shift(name))
        os.close(os.open(self.path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640))
        old = self._fds[name]
        self._write_to_old(name, old)
        self._fds[name] = self._open(name, create=False)
        os.close(old)

    def _rotate_copytruncate(self, name):
        shutil.copyfile(self.path(name), self._shift(name))
        if self.barrier:
            self.barrier(self)
        os.truncate(self.path(name), 0)

    def _rotate_delete(self, name):
        rotated = f"{self.path(name)}.{self._rotation_count}"
        os.rename(self.path(name), rotated)
        old = self._fds[name]
        self._write_to_old(name, old)
        self._fds[name] = self._open(name, create=True)
        os.close(old)
        self._pending_deletes.append((time.monotonic() + self.delete_after, rotated))

    def _rotate_truncate(self, name):
        if self.barrier:
            self.barrier(self)
        os.ftruncate(self._fds[name], 0)

    def _delete_due(self, now):
        due = [p for t, p in self._pending_deletes if t <= now]
        self._pending_deletes = [(t, p) for t, p in self._pending_deletes if t > now]
        for path in due:
            _remove(path)


def _write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--mode", choices=MODES, default="rename")
    ap.add_argument("--names", default="app", help="comma-separated file names")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lines-per-second", type=int, default=2000)
    ap.add_argument("--record", help="write every line written here")
    args = ap.parse_args(argv)
    w = RotatingWriter(args.dir, mode=args.mode, names=args.names.split(","), seed=args.seed,
                       lines_per_second=args.lines_per_second)
    w.run_for(args.seconds)
    if args.record:
        with open(args.record, "wb") as f:
            f.writelines(w.lines)
    print(f"{len(w.lines)} lines, {w.bytes_written} bytes, rotations {w.rotations}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
