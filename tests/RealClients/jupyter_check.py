#!/usr/bin/env python3
"""Executes a small C# notebook through Jupyter (Debian's /usr/bin/jupyter nbconvert) with the
unmodified dotnet-interactive kernel, which loads the packed extension from a local folder
feed. Checks that every cell succeeded and that the outputs hold Plotly charts. The kernel
spec is installed into a private folder with --http-local-only, so the kernel listens on
loopback only and no user-wide Jupyter setting is touched.

usage: jupyter_check.py FEED_DIR VERSION
"""
import json, os, shutil, subprocess, sys, tempfile

FEED, VERSION = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="wafer-jupyter-")
env = dict(os.environ, PATH=os.environ.get("PATH", "") + os.pathsep + os.path.expanduser("~/.dotnet/tools"),
           JUPYTER_PATH=work, JUPYTER_DATA_DIR=os.path.join(work, "data"))
kernels = os.path.join(work, "kernels")
os.makedirs(kernels)
subprocess.run(["dotnet", "interactive", "jupyter", "install", "--path", kernels], env=env, check=True, capture_output=True)
spec_path = os.path.join(kernels, ".net-csharp", "kernel.json")
spec = json.load(open(spec_path))
spec["argv"].append("--http-local-only")
json.dump(spec, open(spec_path, "w"), indent=1)


def cell(source):
    return {"cell_type": "code", "metadata": {"dotnet_interactive": {"language": "csharp"}}, "execution_count": None,
            "outputs": [], "source": source}


notebook = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": ".net-csharp", "display_name": ".NET (C#)", "language": "C#"},
                 "language_info": {"name": "C#"}},
    "cells": [
        cell(f'#i "nuget:{FEED}"\n#r "nuget: WaferNotebooks.Interactive, {VERSION}"'),
        cell("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T --name run1"),
        cell("#!wafer compare --model llama2-70b --tokens 2T --on dgx-h100:512 --on dgx-a100-80gb:1024"),
        cell("run1.TimeToTrainDays"),
    ],
}
source = os.path.join(work, "check.ipynb")
json.dump(notebook, open(source, "w"))
try:
    result = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb",
                         "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=.net-csharp", source],
                            env=env, capture_output=True, text=True)
    executed = json.load(open(os.path.join(work, "executed.ipynb"))) if result.returncode == 0 else None
finally:
    shutil.rmtree(work, ignore_errors=True)
if executed is None:
    raise SystemExit("FAILED: nbconvert could not execute the notebook:\n" + result.stderr[-4000:])

errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
if errors:
    raise SystemExit(f"FAILED: a cell failed: {errors[0].get('ename')}: {errors[0].get('evalue')}")
html = ["".join(o["data"]["text/html"]) if isinstance(o["data"]["text/html"], list) else o["data"]["text/html"]
        for c in executed["cells"] for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
charts = sum(h.count("Plotly.newPlot") for h in html)
if charts < 4:
    raise SystemExit(f"FAILED: expected at least 4 Plotly charts (estimate 2, compare 2), found {charts}")
if not any('"name":"dgx-a100-80gb:1024"' in h for h in html):
    raise SystemExit("FAILED: the comparison chart lacks the second system")
print(f"jupyter check passed: {len(executed['cells'])} cells, {charts} Plotly charts")
