"""`make chaos` (and bench, fuzz, the e2e suite) run an embedded stack inside
`sigterm_unwinds()`: a SIGTERM, a CI job's timeout or `kill`, is a Ctrl-C there, so the
stack's `finally` stops PostgreSQL, the broker and the mail sink instead of leaving them
running (a chaos run killed with SIGTERM did)."""

import signal
import subprocess
import sys

PROGRAM = """
import os, signal, time
from shop_e2e.deployment import sigterm_unwinds

with sigterm_unwinds():
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)
    finally:
        print("finally ran", flush=True)
assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
"""


def test_sigterm_interrupts_like_ctrl_c_and_the_finally_blocks_run() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=20
    )
    assert done.stdout.strip() == "finally ran", done.stderr
    assert "KeyboardInterrupt" in done.stderr
    assert done.returncode == -signal.SIGINT  # how Python ends on an unhandled Ctrl-C


def test_the_default_is_back_once_it_is_left() -> None:
    program = PROGRAM.replace("os.kill(os.getpid(), signal.SIGTERM)", "pass").replace(
        "time.sleep(30)", "pass"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "finally ran"), done.stderr
