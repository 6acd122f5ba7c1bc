"""Execute Jupyter notebooks with the Deno kernel, without losing late outputs.

Driven by notebooks.ts, which owns the command line, the private Jupyter
folders and the kernelspec. Usage:

    /usr/bin/python3 execute.py JOBS.json

JOBS.json holds {"quiet_ms": int, "final_quiet_ms": int, "timeout": int,
"jobs": [{"source": path, "output": path, "kernel_log": path}, ...]}. Each
notebook is read from "source", executed in a fresh kernel whose working
directory is the notebook's folder (so relative imports resolve against it),
and written to "output" with nbformat's writer, only if its bytes change.
One JSON line per notebook is printed to stdout, in job order. The exit
status is 0 when every notebook ran cleanly and 1 otherwise.
"""

import json
import logging
import os
import sys
import tempfile
import time
import traceback
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import (
    CellExecutionComplete,
    CellExecutionError,
    CellTimeoutError,
    DeadKernelError,
)
from nbclient.util import ensure_async


# Message types that put something in a cell; status and execute_input do not.
OUTPUT_TYPES = frozenset(
    {"stream", "display_data", "execute_result", "update_display_data", "error", "clear_output"}
)


class DrainingClient(NotebookClient):
    """A NotebookClient that keeps the outputs Deno sends after `idle`.

    Deno's kernel (2.9.x) sometimes publishes a cell's stream, display or
    result messages on iopub after its `status: idle`. Stock nbclient stops
    reading at idle and then discards those messages while it polls for the
    next cell, because their parent msg_id is not the one it waits for
    (measured on a 120-cell notebook: 4-15% of outputs lost per run, and
    display updates fired from timers not applied). Three remedies, in order
    of how often they matter:

    1. Each cell keeps reading iopub until it has been quiet for `quiet_ms`
       before the next cell is sent. This is the one that matters: Deno
       stamps stdout, stderr and displays with the last execute_request it
       received at the time it sends them (`last_execution_request` in
       cli/tools/jupyter/server.rs), so a straggler sent after the next
       request arrived carries the next cell's msg_id and nothing in the
       message says otherwise. Waiting for quiet keeps that from happening
       (measured lateness after idle: under 6 ms, 16 ms with both CPUs
       saturated; with no quiet period, 3 of about 60 runs of a 120-cell
       notebook put an output in the wrong cell).
    2. A message whose parent is an earlier cell is applied to that cell,
       in iopub order, whenever it arrives; after the last cell iopub is
       drained for `final_quiet_ms` before the kernel is shut down.
    3. A cell's own outputs only follow its `execute_input`, so outputs
       stamped with its msg_id that come before it are mis-stamped
       stragglers and go to the previous cell.

    Written against nbclient 0.7 (Debian's python3-nbclient), whose
    _async_poll_output_msg is the one loop that reads iopub during a cell.
    """

    def __init__(self, nb, quiet_ms, final_quiet_ms, **kw):
        super().__init__(nb, **kw)
        self.quiet_seconds = quiet_ms / 1000
        self.final_quiet_seconds = final_quiet_ms / 1000
        self.cell_index_by_msg_id = {}
        self.current_cell_index = None
        self.previous_cell_index = None
        self.last_cell_index = max(
            (i for i, cell in enumerate(nb.cells) if self.will_execute(cell)), default=None
        )
        self.stats = {
            "cells": 0,
            "late_in_own_quiet_period": 0,
            "late_in_later_cell": 0,
            "late_in_final_drain": 0,
            "early_for_next_cell": 0,
            "max_late_ms": 0.0,
            "quiet_seconds": 0.0,
        }

    def will_execute(self, cell):
        # Mirrors the skip rules of NotebookClient.async_execute_cell.
        return (
            cell.cell_type == "code"
            and cell.source.strip() != ""
            and self.skip_cells_with_tag not in cell.metadata.get("tags", [])
        )

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_cell_index = cell_index
        result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell_index == self.last_cell_index:
            # Still inside nbclient's kernel context: the last chance to read
            # stragglers before shutdown, without copying its execute loop.
            await self.drain(self.final_quiet_seconds, "late_in_final_drain")
        return result

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        # Replaces nbclient's loop, which returns at idle and drops messages
        # of any other parent.
        assert self.kc is not None
        self.cell_index_by_msg_id[parent_msg_id] = cell_index
        self.stats["cells"] += 1
        started = False
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                self.apply_late_message(msg, "late_in_later_cell")
                continue
            if msg["msg_type"] == "execute_input":
                started = True
            elif (
                not started
                and msg["msg_type"] in OUTPUT_TYPES
                and self.previous_cell_index is not None
            ):
                self.apply_to_cell(msg, self.previous_cell_index, "early_for_next_cell")
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        self.previous_cell_index = cell_index
        await self.drain(self.quiet_seconds, "late_in_own_quiet_period")

    async def drain(self, quiet_seconds, counter):
        """Apply late messages until iopub has been silent for quiet_seconds."""
        assert self.kc is not None
        started = time.monotonic()
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=quiet_seconds))
            except Empty:
                break
            if self.apply_late_message(msg, counter):
                late_ms = (time.monotonic() - started) * 1000
                self.stats["max_late_ms"] = max(self.stats["max_late_ms"], late_ms)
        self.stats["quiet_seconds"] += time.monotonic() - started

    def apply_late_message(self, msg, counter):
        """Apply a message of a cell that already went idle; True if kept."""
        cell_index = self.cell_index_by_msg_id.get(msg["parent_header"].get("msg_id"))
        if cell_index is None or msg["msg_type"] not in OUTPUT_TYPES:
            return False
        if cell_index != self.current_cell_index and counter == "late_in_own_quiet_period":
            counter = "late_in_later_cell"
        self.apply_to_cell(msg, cell_index, counter)
        return True

    def apply_to_cell(self, msg, cell_index, counter):
        self.stats[counter] += 1
        # clear_before_next_output belongs to the cell being executed; keep a
        # message for another cell from consuming or setting it.
        own_cell = cell_index == self.current_cell_index
        pending_clear = self.clear_before_next_output
        if not own_cell:
            self.clear_before_next_output = False
        try:
            self.process_message(msg, self.nb.cells[cell_index], cell_index)
        except CellExecutionComplete:
            pass
        finally:
            if not own_cell:
                self.clear_before_next_output = pending_clear

    def output(self, outs, msg, display_id, cell_index):
        # Jupyter frontends show consecutive stream chunks as one block; merge
        # them here so how the kernel happened to split writes into messages
        # cannot change the saved notebook.
        content = msg["content"]
        last = outs[-1] if outs else None
        if (
            msg["msg_type"] == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == content.get("name")
            and not self.clear_before_next_output
            and not self.output_hook_stack[msg["parent_header"].get("msg_id")]
        ):
            last["text"] += content.get("text", "")
            return last
        return super().output(outs, msg, display_id, cell_index)


def prepare(nb):
    """Drop what a previous run left, so nothing stale survives this one."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.setdefault(
        "kernelspec", {"name": "deno", "display_name": "Deno", "language": "typescript"}
    )


def finish(nb):
    # A result's count comes from the kernel's own counter; tie it to the
    # cell's 1..n count so the file does not depend on that counter.
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.outputs:
                if out.get("output_type") == "execute_result":
                    out["execution_count"] = cell.execution_count


def write_if_changed(nb, path):
    """Write with nbformat's writer (indent 1, sorted keys, final newline)."""
    text = nbformat.writes(nb, version=4)
    if not text.endswith("\n"):
        text += "\n"
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return False
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # Write beside the target and rename, so an interrupted run never leaves
    # a half-written notebook behind. mkstemp makes the file 0600: give it
    # the mode the notebook had.
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".notebook-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


def kernel_log_tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if '"deno jupyter" is unstable' not in line]
    return "\n".join(kept[-lines:])


def run_job(job, options, logger):
    source = job["source"]
    result = {"source": source, "output": job["output"]}
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as error:  # malformed JSON or notebook structure
        return {**result, "status": "invalid", "message": str(error).splitlines()[0]}
    prepare(nb)
    client = DrainingClient(
        nb,
        quiet_ms=options["quiet_ms"],
        final_quiet_ms=options["final_quiet_ms"],
        kernel_name="deno",
        timeout=options["timeout"],
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
        log=logger,
    )
    started = time.monotonic()
    try:
        with open(job["kernel_log"], "wb") as kernel_log:
            client.execute(stderr=kernel_log)
    except CellExecutionError as error:
        return {
            **result,
            "status": "raised",
            "cell": client.current_cell_index,
            "ename": error.ename,
            "evalue": error.evalue,
            "kernel_log": kernel_log_tail(job["kernel_log"]),
        }
    except CellTimeoutError:
        return {
            **result,
            "status": "timeout",
            "cell": client.current_cell_index,
            "message": f"did not finish within {options['timeout']} s",
        }
    except DeadKernelError:
        return {
            **result,
            "status": "dead",
            "cell": client.current_cell_index,
            "message": "the Deno kernel died",
            "kernel_log": kernel_log_tail(job["kernel_log"]),
        }
    except Exception as error:  # e.g. the kernel failed to start
        return {
            **result,
            "status": "failed",
            "cell": client.current_cell_index,
            "message": f"{type(error).__name__}: {error}".splitlines()[0],
            "kernel_log": kernel_log_tail(job["kernel_log"]),
        }
    seconds = time.monotonic() - started
    finish(nb)
    changed = write_if_changed(nb, job["output"])
    return {
        **result,
        "status": "ok",
        "changed": changed,
        "seconds": round(seconds, 3),
        "stats": {**client.stats, "quiet_seconds": round(client.stats["quiet_seconds"], 3),
                  "max_late_ms": round(client.stats["max_late_ms"], 1)},
    }


def main(argv):
    if len(argv) != 2:
        print("usage: execute.py JOBS.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        options = json.load(fh)
    # Failures are reported in the JSON lines; nbclient's own log would only
    # repeat them with stack traces.
    logger = logging.getLogger("notebook-runner")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    ok = True
    for job in options["jobs"]:
        try:
            result = run_job(job, options, logger)
        except Exception as error:  # a bug in this runner, not in a notebook
            traceback.print_exc()
            result = {"source": job["source"], "status": "failed",
                      "message": f"{type(error).__name__}: {error}"}
        ok = ok and result["status"] == "ok"
        print(json.dumps(result, sort_keys=True), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
