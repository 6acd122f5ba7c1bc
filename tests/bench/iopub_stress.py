"""Fresh Deno kernels with several IOPub subscribers, as the classic Notebook
and Jupyter Server hold: cell 1 imports ROOT/mod.ts, cell 2 shows
softmax([1, 2, 3]) (the session's first chart, preceded by plotly.js), cell 3
prints "after". A kernel is bad when any subscriber receives a message it
cannot decode or misses an output the others got.

Run through tests/bench/iopub_stress.ts, which sets up a private Jupyter
folder: deno run -A tests/bench/iopub_stress.ts [TRIALS] [SUBSCRIBERS]
"""

import os
import sys
import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

root, trials, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad_kernels = 0
for trial in range(trials):
    km = KernelManager(kernel_name="deno")
    km.start_kernel(cwd=root)
    iopubs = [km.connect_iopub() for _ in range(n)]
    shell = km.connect_shell()
    sessions = {
        sock: Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
        for sock in iopubs
    }
    poller = zmq.Poller()
    for sock in iopubs:
        poller.register(sock, zmq.POLLIN)
    time.sleep(2)  # let every subscription reach the kernel
    for code in (
        'import { softmax } from "%s/mod.ts";' % root,
        "softmax([1, 2, 3])",
        'console.log("after")',
    ):
        km.session.send(shell, "execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True,
        })
    undecodable = 0
    got = {sock: {"outputs": 0, "chart": 0, "after": 0, "errors": 0} for sock in iopubs}
    end = time.time() + 25
    while time.time() < end:
        for sock, _ in poller.poll(50):
            frames = sock.recv_multipart()
            try:
                _, msg = sessions[sock].feed_identities(frames)
                m = sessions[sock].deserialize(msg)
            except Exception:
                undecodable += 1
                continue
            kind, content = m["header"]["msg_type"], m["content"]
            if kind in ("display_data", "execute_result"):
                got[sock]["outputs"] += 1
                if "class='softmax-chart'" in content["data"].get("text/html", ""):
                    got[sock]["chart"] += 1
            elif kind == "stream" and "after" in content.get("text", ""):
                got[sock]["after"] += 1
            elif kind == "error":
                got[sock]["errors"] += 1
        # Done once every subscriber saw "after", but give late outputs 3 s.
        if all(g["after"] for g in got.values()) and time.time() > end - 22:
            break
    counts = list(got.values())
    ok = undecodable == 0 and all(
        g == counts[0] and g["chart"] == 1 and g["after"] == 1 and g["errors"] == 0
        for g in counts
    )
    bad_kernels += not ok
    print(f"kernel {trial + 1}: undecodable {undecodable}, per subscriber {counts}"
          f" {'ok' if ok else 'BAD'}", flush=True)
    km.shutdown_kernel(now=True)
print(f"bad kernels: {bad_kernels} of {trials}")
sys.exit(1 if bad_kernels else 0)
