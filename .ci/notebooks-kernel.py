"""Executes notebooks in the .NET Interactive kernel and checks (--check) or writes (--update) their outputs.

Run by .ci/notebooks-kernel, which installs the tools and registers the kernel. Usage:
    python3 .ci/notebooks-kernel.py --check|--ci|--update NOTEBOOK...
A failing cell fails the run with the cell and the kernel's error. Committed outputs that differ from what the notebook
gives now fail --check and are only reported by --ci (CI's mode: another CPU's vector width can move a last printed digit,
and a stale output is a reason to refresh the notebook, not to block a change). Outputs are compared after dropping what is not
content: the kernel's bootstrap script for a live front-end (its first display, a <script> that looks for the kernel's
HTTP port) and execution timestamps.
"""
import difflib
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BOOTSTRAP = "probeAddresses"


def is_bootstrap(output):
    return output.get("output_type") == "display_data" and BOOTSTRAP in "".join(output.get("data", {}).get("text/html", ""))


def normalised(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not is_bootstrap(o)]
            cell.metadata.pop("execution", None)
    return nb


def outputs(nb):
    """One JSON text per code cell's outputs, for comparing and diffing."""
    return [json.dumps(c.outputs, indent=1, sort_keys=True, ensure_ascii=False) for c in nb.cells if c.cell_type == "code"]


def main(mode, paths):
    failed = 0
    for path in paths:
        committed = normalised(nbformat.read(path, as_version=4))
        executed = nbformat.read(path, as_version=4)
        client = NotebookClient(executed, timeout=900, kernel_name=".net-csharp", record_timing=False,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        try:
            client.execute()
        except CellExecutionError as error:
            print(f"{path}: a cell failed in the kernel\n{error}", file=sys.stderr)
            failed += 1
            continue
        normalised(executed)
        if mode == "--update":
            nbformat.write(executed, path)
            print(f"{path}: executed, outputs written")
            continue
        stale = [(k, a, b) for k, (a, b) in enumerate(zip(outputs(committed), outputs(executed))) if a != b]
        if not stale:
            print(f"{path}: executed, outputs as committed")
            continue
        failed += mode == "--check"
        print(f"{path}: {'' if mode == '--check' else 'warning: '}the committed outputs of {len(stale)} code cell(s) differ from what the "
              "notebook gives now; run `bash .ci/notebooks-kernel --update` and commit the notebook", file=sys.stderr)
        for k, a, b in stale:
            diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"code cell {k + 1} (committed)", f"code cell {k + 1} (now)", lineterm="", n=1))
            print("\n".join(line[:300] for line in diff[:60]), file=sys.stderr)
    return failed


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("--check", "--ci", "--update"):
        sys.exit(__doc__)
    sys.exit(1 if main(sys.argv[1], sys.argv[2:]) else 0)
