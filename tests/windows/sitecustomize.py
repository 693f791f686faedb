"""The simulated-Windows lane: with SARKIT_SIMULATE_WINDOWS=1 and this folder on PYTHONPATH,
every Python process (pytest, `python -m sarkit`, spawned workers) starts as if on Windows:
Unix-only modules cannot be imported, `os.fork` and Unix-only os/signal functions are gone, so
worker processes start with spawn. The console encoding is set by the lane (cp1252).
"""

import os

if os.environ.get("SARKIT_SIMULATE_WINDOWS") == "1":
    import importlib.abc
    import signal
    import sys

    UNIX_ONLY_MODULES = frozenset({"resource", "fcntl", "termios", "tty", "pty", "pwd", "grp",
                                   "syslog", "crypt", "nis", "spwd", "posixpath_unix_only"})
    # getuid stays: pytest itself needs it on Linux (tests/test_windows.py scans src/ for it)
    UNIX_ONLY_OS = ("fork", "forkpty", "getpwnam",
                    "killpg", "setsid", "getpgid", "setpgid", "wait3", "wait4", "chown", "lchown",
                    "fchown", "getloadavg", "sysconf", "pathconf", "fpathconf", "mkfifo", "mknod")
    UNIX_ONLY_SIGNAL = ("SIGALRM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGQUIT", "alarm",
                        "setitimer", "getitimer", "pause", "siginterrupt")

    class _UnixOnlyBlocker(importlib.abc.MetaPathFinder):
        """Refuses the modules that do not exist on Windows."""

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in UNIX_ONLY_MODULES:
                raise ModuleNotFoundError(f"No module named {name!r} (simulated Windows)", name=name)
            return None

    sys.meta_path.insert(0, _UnixOnlyBlocker())
    for _name in UNIX_ONLY_MODULES:
        sys.modules.pop(_name, None)
    for _name in UNIX_ONLY_OS:
        if hasattr(os, _name):
            delattr(os, _name)
    for _name in UNIX_ONLY_SIGNAL:
        if hasattr(signal, _name):
            delattr(signal, _name)
