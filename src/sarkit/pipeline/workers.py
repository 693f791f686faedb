"""Reading returns in worker processes: both cores used, and a reader's crash costs one file.

A few long-lived workers (at most one per core, at most 4, and a second one only when the input
is large enough to pay for it: `worker_count`) each read one file at a time. A file
whose worker dies (a native crash, the memory limit) or takes longer than the timeout is refused
and the worker is replaced; the other files carry on. Workers are started with fork on Linux and
with spawn elsewhere (Windows, macOS) or when fork is not available; a spawned worker imports only
what reading a return needs. A worker whose parent dies sees its pipe close and exits.

Memory limits on a worker (RLIMIT_AS) exist only where the `resource` module does (Linux, macOS);
elsewhere the streaming safety limits of the intake are the guard.

Every return is read in a worker, even a handful of small ones (decided for issue 18, measured on
10 returns of 500 entries, 2 cores): with fork, two workers read them in 0.43 s against 0.75-0.88
s in the main process, for about 0.1 s more CPU; with spawn, the main process would save a
worker's start (about 0.25 s of CPU), but there a reader's panic message would reach the user's
terminal (only a worker's standard error can be silenced for good), a hang would have no
timeout and a crash would end the run. What a worker sends back is pickled by `dumps`: entries
as their fields, half the time of a slotted dataclass's own pickling on both sides.

`beside` is the other use of a second core: a share of sarkit's own work (half of a large
review's trails and patterns) in a child process while the parent does the rest; whatever goes
wrong in the child, the parent does that share itself.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import faulthandler
import gc
import io
import multiprocessing
import operator
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sarkit.entries import Entry, ReturnResult
from sarkit.errors import SarkitError
from sarkit.findings import finding
from sarkit.wording import shown_path

if TYPE_CHECKING:
    from sarkit.returns import ReadOptions

MAX_WORKERS = 4
# A second worker is started only for more input than this per worker. Reading (with its checks)
# costs about 0.8 s of CPU per MB of xlsx, a forked worker's start a few hundredths, a spawned
# one's about 0.25 s (it imports the readers). Measured on 10 returns of 500 entries (0.7 MB in
# all, 2 cores, `--agency` so every row becomes an entry): one forked worker 0.69-0.82 s wall,
# two 0.43 s; one spawned worker 0.97-1.0 s, two 1.05-1.36 s (their start is not paid back).
FORK_BYTES_PER_WORKER = 128 * 1024
SPAWN_BYTES_PER_WORKER = 2 * 1024 * 1024
SPAWN_BESIDE_FROM = 50_000  # entries from which a spawned child pays for its start (`beside_pays`)
T = TypeVar("T")
START_METHOD_VARIABLE = "SARKIT_START_METHOD"  # "fork" or "spawn": for benchmarks and tests


def start_method() -> str:
    """fork on Linux where it exists (fast, shares the parent's memory), spawn everywhere else."""
    chosen = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    can_fork = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
    if chosen == "spawn" or not can_fork:
        return "spawn"
    if chosen == "fork" or sys.platform.startswith("linux"):
        return "fork"
    return "spawn"


def limit_memory(limit: int) -> None:
    """Cap this process's address space where the OS lets us, and let a crash leave no core
    file (it would hold the cells being read); a no-op on Windows."""
    if not limit:
        return
    try:
        import resource  # Unix only
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > limit:
            new_hard = hard if hard != resource.RLIM_INFINITY and hard < limit else limit
            resource.setrlimit(resource.RLIMIT_AS, (min(limit, new_hard), new_hard))
    except (ValueError, OSError):  # e.g. macOS refuses some values: the intake limits still hold
        pass


def memory_capped() -> bool:
    """Whether the OS caps this process's address space (`limit_memory` in a worker on Linux or
    macOS): there a native reader that asks for too much fails its allocation, so it may start
    before the intake limits have measured the file. Never on Windows."""
    try:
        import resource  # Unix only
    except ImportError:
        return False
    try:
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ValueError, OSError):
        return False
    return soft != resource.RLIM_INFINITY


def in_background(function: Callable[..., T], *args: Any) -> Callable[[], T]:
    """`function(*args)` started in a daemon thread; the returned function waits for it and
    gives its result or raises its exception. Worth it only for native code that lets other
    threads run (python-calamine reading a sheet)."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="sarkit-reader", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        succeeded, value = outcome[0]
        if not succeeded:
            raise value
        return value

    return result


def refused(path: Path | str, why: str) -> list[ReturnResult]:
    """The result of a file that was refused before or while it was read."""
    return [ReturnResult(path=shown_path(path), findings=[finding(
        "file-refused", shown_path(path), f"The file was refused: {why}.",
    )])]


def unexpected(path: Path | str, exc: BaseException) -> list[ReturnResult]:
    """The result of a file whose reading hit a bug: it costs that file, never the run."""
    return [ReturnResult(path=shown_path(path), findings=[finding(
        "file-unreadable", shown_path(path),
        f"The file could not be read because of an unexpected problem ({type(exc).__name__}).",
        hint="Please report this to the sarkit maintainers; the other files were read.",
    )])]


_ENTRY_FIELDS = [f.name for f in dataclasses.fields(Entry)]
_ENTRY_VALUES = operator.attrgetter(*_ENTRY_FIELDS)


def _entry_as_arguments(entry: Entry) -> tuple[type[Entry], tuple[Any, ...]]:
    return Entry, _ENTRY_VALUES(entry)


# An entry goes back to the main process as Entry(*its fields): half the time of a slotted
# dataclass's own pickling, which calls Python code per entry on both sides. Only while every
# field is an __init__ argument, in order (else the default pickling is used).
_DISPATCH = {**copyreg.dispatch_table}
if all(f.init for f in dataclasses.fields(Entry)):
    _DISPATCH[Entry] = _entry_as_arguments


def dumps(obj: Any) -> bytes:
    """`obj` pickled for the main process (`pickle.loads` reads it back)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


def _serve(conn: Connection, options: ReadOptions) -> None:
    """A worker's life: read the files the parent sends, one at a time, until told to stop."""
    from sarkit.returns import read_return  # here, so that a spawned worker imports only this

    _silence_stderr()
    # no automatic cycle collection while reading: with fork it would touch (and so copy) every
    # page of the parent's heap; the worker collects between files instead
    gc.disable()
    limit_memory(options.memory_limit)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent has gone: so do we
            return
        if job is None:
            return
        try:
            payload = dumps(read_return(Path(job), options))
        except MemoryError:
            payload = pickle.dumps(refused(job, "it needs more memory than the safety limit allows"))
        except Exception as exc:  # noqa: BLE001 - a bug must cost one file, never the run
            payload = pickle.dumps(unexpected(job, exc))
        try:
            conn.send_bytes(payload)
        except (EOFError, OSError):
            return
        gc.collect()


def _silence_stderr() -> None:
    """A reader library's panic message or backtrace must never reach the user's terminal: the
    worker's standard error goes nowhere (what went wrong is a finding), nor does the
    traceback faulthandler writes on a crash (it keeps its own copy of the terminal)."""
    os.environ["RUST_BACKTRACE"] = "0"
    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _call_child(conn: Connection, function: Callable[..., Any], args: tuple[Any, ...],
                memory_limit: int) -> None:
    """One call in a worker process: its result, or the SarkitError it raised, sent back."""
    _silence_stderr()
    limit_memory(memory_limit)

    try:
        reply: tuple[Any, ...] = ("ok", function(*args))
    except SarkitError as exc:
        reply = ("error", exc.message, exc.hint, exc.file, exc.sheet, exc.cell, exc.exit_code)
    except MemoryError:
        reply = ("refused", "it needs more memory than the safety limit allows")
    except Exception as exc:  # noqa: BLE001 - a reader's failure is reported, never a traceback
        reply = ("refused", f"it could not be read ({type(exc).__name__})")
    try:
        conn.send_bytes(dumps(reply))
    except (EOFError, OSError):
        pass


def call_isolated(function: Callable[..., Any], *args: Any, what: str,
                  memory_limit: int, timeout: float) -> Any:
    """`function(*args)` run in a worker process, so that a crafted file read by it costs a
    sentence, not the run. A SarkitError raised there is raised here; a crash, the memory limit or
    the timeout becomes a SarkitError naming `what` (`WorkerStopped` when the worker died)."""

    ctx = multiprocessing.get_context(start_method())
    parent_end, child_end = ctx.Pipe(duplex=False)
    process = _start_process(ctx, _call_child, (child_end, function, args, memory_limit))
    child_end.close()
    try:
        if not parent_end.poll(timeout):
            reply: tuple[Any, ...] = ("refused", f"reading it took longer than {int(timeout)} seconds")
        else:
            try:
                reply = pickle.loads(parent_end.recv_bytes())
            except (EOFError, OSError, pickle.UnpicklingError):
                reply = ("stopped", "the reader stopped abnormally (the file may be crafted to "
                         "exhaust memory or crash the program)")
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent_end.close()
        if ctx.get_start_method() == "fork":
            gc.unfreeze()
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "error":
        _, message, hint, file, sheet, cell, exit_code = reply
        raise SarkitError(message, hint=hint, file=file, sheet=sheet, cell=cell, exit_code=exit_code)
    raise (WorkerStopped if reply[0] == "stopped" else SarkitError)(
        f"{what} was refused: {reply[1]}.",
        hint="Give the combined workbook written by sarkit collate, or the returns themselves.")


def _beside_child(conn: Connection, function: Callable[..., Any] | None,
                  args: tuple[Any, ...], payload: Connection | None = None) -> None:
    """`beside`'s child: the call (read from `payload` when spawned), its result sent back."""
    _silence_stderr()
    gc.disable()  # with fork a collection would touch, and so copy, the parent's pages
    try:
        if payload is not None:
            function, args = pickle.loads(payload.recv_bytes())
            payload.close()
        reply: tuple[Any, ...] = ("ok", function(*args))  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - the parent calls it again, and sees what went wrong
        reply = ("failed",)
    try:
        conn.send_bytes(dumps(reply))
    except (EOFError, OSError):
        pass


def beside_pays(entries: int) -> bool:
    """Whether `beside` pays for a share of the trails and patterns of `entries` entries. With
    fork (Linux) it shares the parent's memory and starts at once; not while another thread runs
    here (a fork beside one may deadlock the child). Spawned (Windows, macOS), the child imports
    sarkit and is sent the texts, which costs about 0.5 s: only from SPAWN_BESIDE_FROM entries."""
    if start_method() == "fork":
        return threading.active_count() == 1
    return entries >= SPAWN_BESIDE_FROM


def beside(function: Callable[..., T], *args: Any) -> Callable[[], T]:
    """`function(*args)` started in a child process, to use a second core for sarkit's own
    work (not a file's reading); the returned function waits for it and gives its result.
    Whatever goes wrong there (the child could not start, died, or raised), the returned
    function calls `function(*args)` in this process instead: the same result, later. With
    fork the child shares the arguments; spawned, it is sent them pickled, by a thread of this
    process while the child starts and this process goes on."""
    ctx = multiprocessing.get_context(start_method())
    forked = ctx.get_start_method() == "fork"
    conn = process = sender = payload = None
    try:
        conn, child_end = ctx.Pipe(duplex=False)
        payload_end, payload = ctx.Pipe(duplex=False) if not forked else (None, None)
        try:
            process = _start_process(ctx, _beside_child, (child_end, function, args) if forked
                                     else (child_end, None, (), payload_end), name="sarkit-beside")
        finally:
            child_end.close()
            if payload_end is not None:
                payload_end.close()
        if payload is not None:
            sender = threading.Thread(target=_send, args=(payload, dumps((function, args))),
                                      name="sarkit-beside-sender", daemon=True)
            sender.start()
    except Exception:  # noqa: BLE001 - no child (none may start, the call cannot be pickled)
        if payload is not None and sender is None:
            payload.close()
        _stop(process, conn, sender, forked)
        return lambda: function(*args)

    def result() -> T:
        try:
            reply = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            reply = ("stopped",)
        finally:
            _stop(process, conn, sender, forked)
        return reply[1] if reply[0] == "ok" else function(*args)

    return result


def _send(conn: Connection, data: bytes) -> None:
    """`data` sent over `conn`, which is closed after (a child that died has closed its end)."""
    try:
        conn.send_bytes(data)
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def _stop(process: Any, conn: Connection | None, sender: threading.Thread | None,
          forked: bool) -> None:
    """`beside`'s child ended (killed if it has not finished), its pipes closed."""
    if process is not None:
        _ended(process)
    if sender is not None:
        sender.join(5)
    if conn is not None:
        conn.close()
    if forked:
        gc.unfreeze()


class WorkerStopped(SarkitError):
    """`call_isolated`'s worker died before it answered (a native crash, the OS's memory cap)."""


@dataclass(slots=True)
class _Worker:
    process: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    job: tuple[int, Path] | None = None
    started: float = 0.0

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (EOFError, OSError):
                pass
        _ended(self.process)
        self.conn.close()


def _ended(process: Any) -> None:
    """A child process given 5 s to end, then killed."""
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join(5)


@contextlib.contextmanager
def _main_script_hidden(hide: bool) -> Iterator[None]:
    """A spawned worker needs nothing from the main script (the `sarkit` launcher, which would
    import the command line): spawn re-runs it in the child only when `__main__` names a file."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not hide or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def _start_process(ctx: Any, target: Callable[..., None], args: tuple[Any, ...],
                   name: str = "sarkit-reader") -> Any:
    """A started reader process: with fork the parent's objects are frozen first, so the child's
    memory stays shared with the parent's; with spawn the main script is not run again."""
    if ctx.get_start_method() == "fork":
        gc.freeze()
    process = ctx.Process(target=target, args=args, daemon=True, name=name)
    with _main_script_hidden(ctx.get_start_method() == "spawn"):
        process.start()
    return process


def _start_worker(ctx: Any, options: ReadOptions) -> _Worker:
    parent_end, child_end = ctx.Pipe(duplex=True)
    process = _start_process(ctx, _serve, (child_end, options))
    child_end.close()
    return _Worker(process=process, conn=parent_end)


def worker_count(files: list[Path], asked: int, method: str) -> int:
    """How many workers pay: as many as asked, else one per core (at most MAX_WORKERS) but only
    one per FORK_BYTES_PER_WORKER (fork) or SPAWN_BYTES_PER_WORKER (spawn) of input, so a
    handful of small returns is read by one worker, still one file at a time and isolated."""
    most = min(len(files), asked or min(os.cpu_count() or 1, MAX_WORKERS))
    if asked:
        return max(1, most)
    size = 0
    for path in files:
        try:
            size += path.stat().st_size
        except OSError:  # it will be reported when it is read
            pass
    per_worker = FORK_BYTES_PER_WORKER if method == "fork" else SPAWN_BYTES_PER_WORKER
    return max(1, min(most, 1 + size // per_worker))


def read_in_workers(
    files: list[Path], options: ReadOptions, progress: Callable[[str], None] | None = None,
) -> list[list[ReturnResult]]:
    """Each file's results, in the order given, every file read in a worker process."""
    if not files:
        return []
    ctx = multiprocessing.get_context(start_method())
    count = worker_count(files, options.workers, ctx.get_start_method())
    results: dict[int, list[ReturnResult]] = {}
    pending = list(enumerate(files))
    pending.reverse()  # pop() from the end takes them in order
    workers: list[_Worker] = []
    try:
        while pending or any(w.job for w in workers):
            while pending and (len(workers) < count or any(w.job is None for w in workers)):
                worker = next((w for w in workers if w.job is None), None)
                if worker is None:
                    worker = _start_worker(ctx, options)
                    workers.append(worker)
                index, path = pending.pop()
                try:
                    worker.conn.send(str(path))
                except (EOFError, OSError):  # died while idle: replace it and try again
                    workers.remove(worker)
                    worker.stop(kill=True)
                    pending.append((index, path))
                    continue
                worker.job, worker.started = (index, path), time.monotonic()
            busy = {w.conn: w for w in workers if w.job is not None}
            for conn in wait(list(busy), timeout=1.0):
                worker = busy[conn]  # type: ignore[index]
                index, path = worker.job  # type: ignore[misc]
                try:
                    results[index] = pickle.loads(conn.recv_bytes())  # type: ignore[union-attr]
                    worker.job = None
                except (EOFError, OSError, pickle.UnpicklingError):
                    results[index] = refused(
                        path, "the reader stopped abnormally (the file may be crafted to exhaust "
                        "memory or crash the program)")
                    workers.remove(worker)
                    worker.stop(kill=True)
                if progress:
                    progress(str(path))
            now = time.monotonic()
            for worker in list(workers):
                if worker.job is not None and now - worker.started > options.timeout:
                    index, path = worker.job
                    results[index] = refused(
                        path, f"reading it took longer than {int(options.timeout)} seconds")
                    workers.remove(worker)
                    worker.stop(kill=True)
                    if progress:
                        progress(str(path))
    finally:
        for worker in workers:
            worker.stop(kill=worker.job is not None)
        if ctx.get_start_method() == "fork":
            gc.unfreeze()
    return [results[i] for i in range(len(files))]
