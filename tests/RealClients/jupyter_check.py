#!/usr/bin/env python3
"""Executes shipped notebooks as they are through Jupyter (Debian's /usr/bin/jupyter nbconvert)
with the unmodified dotnet-interactive kernel: each notebook's own first cell loads the extension
from the local feed that build/pack-feed.sh registered. The kernel runs with WAFER_OFFLINE=1, so
every chart output carries plotly.js. Checks that every cell succeeded and charts are there; then
reopens each saved notebook (nbconvert to HTML, as a reader's browser shows the saved outputs) in
headless Chromium with the network off and checks that every chart draws. The kernel spec is
installed into a private folder with --http-local-only, so the kernel listens on loopback only and
no user-wide Jupyter setting is touched.

usage: jupyter_check.py NOTEBOOK.ipynb...
"""
import html as htmllib, json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from front_end_cases import MISSPELLED, TWO_COMPARES, INFEASIBLE, HEADLINES  # noqa: E402

NOTEBOOKS = sys.argv[1:]
work = tempfile.mkdtemp(prefix="wafer-jupyter-")
env = dict(os.environ, PATH=os.environ.get("PATH", "") + os.pathsep + os.path.expanduser("~/.dotnet/tools"),
           JUPYTER_PATH=work, JUPYTER_DATA_DIR=os.path.join(work, "data"), WAFER_OFFLINE="1")
kernels = os.path.join(work, "kernels")
os.makedirs(kernels)
subprocess.run(["dotnet", "interactive", "jupyter", "install", "--path", kernels], env=env, check=True, capture_output=True)
spec_path = os.path.join(kernels, ".net-csharp", "kernel.json")
spec = json.load(open(spec_path))
spec["argv"].append("--http-local-only")
json.dump(spec, open(spec_path, "w"), indent=1)

# After the page had time to draw: per plot, traces declared and drawn; charts that gave up.
PROBE = """<script>
window.addEventListener('load', () => setTimeout(() => {
  const plots = [...document.querySelectorAll('.wafer-plot')].map(gd => ({
    declared: (gd.data || []).length, drawn: gd.querySelectorAll('svg.main-svg g.trace').length }));
  const out = document.createElement('pre'); out.id = 'chart-check';
  out.textContent = JSON.stringify({ plots, missing: document.querySelectorAll('.wafer-plot-missing').length });
  document.body.appendChild(out);
}, 8000));
</script>"""
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=30000", "--dump-dom"]


def fail(why):
    shutil.rmtree(work, ignore_errors=True)
    raise SystemExit("FAILED: " + why)


def text(value):
    return "".join(value) if isinstance(value, list) else value


def front_end_cases(template):
    """Issue 12's front-end cases in a notebook of their own, with a shipped notebook's metadata and
    first cell: a misspelled option (the cell is expected to fail, tagged raises-exception), two
    compare lines in one cell, and an estimate that does not fit."""
    shipped = json.load(open(template))
    first = next(c for c in shipped["cells"] if c["cell_type"] == "code")

    def cell(code, tags=()):
        return {"cell_type": "code", "execution_count": None, "metadata": {"tags": list(tags)}, "outputs": [], "source": code}

    notebook = dict(shipped, cells=[cell(first["source"]), cell(MISSPELLED, ["raises-exception"]), cell(TWO_COMPARES), cell(INFEASIBLE)])
    source = os.path.join(work, "front-end-cases.ipynb")
    json.dump(notebook, open(source, "w"), indent=1)
    os.makedirs(os.path.join(work, "executed"), exist_ok=True)
    result = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", os.path.join(work, "executed"),
                             "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=.net-csharp", source],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        fail("nbconvert could not execute the front-end cases:\n" + result.stderr[-4000:])
    cells = json.load(open(os.path.join(work, "executed", "front-end-cases.ipynb")))["cells"]

    def outputs(c, kind):
        return [o for o in c.get("outputs", []) if o.get("output_type") == kind]

    def html(c):
        return [text(o["data"]["text/html"]) for o in c.get("outputs", []) if "text/html" in o.get("data", {})]

    errors = outputs(cells[1], "error")
    said = " ".join((e.get("evalue") or "") + " ".join(e.get("traceback") or []) for e in errors)
    if not errors or "did you mean --tokens?" not in said:
        fail(f"front-end cases: the misspelled option did not fail with 'did you mean': {errors}")
    for number in (2, 3):
        if outputs(cells[number], "error"):
            fail(f"front-end cases: cell {number + 1} failed: {outputs(cells[number], 'error')[0].get('evalue')}")
    cards = [h for h in html(cells[2]) if "wafer-result" in h]
    if len(cards) != 2 or "dgx-a100-80gb:64" not in cards[0] or "cs-3:2" in cards[0] \
            or "cs-3:2" not in cards[1] or "dgx-h200:32" not in cards[1] or "dgx-a100-80gb:64" in cards[1]:
        fail(f"front-end cases: two compare lines did not each show their own systems ({len(cards)} results)")
    card = "\n".join(html(cells[3]))
    if ": does not fit" not in card or "Overflows" not in card or "with a ZeRO stage" not in card:
        fail("front-end cases: the estimate that does not fit has no card saying why and what overflows")
    if any(word in card for word in HEADLINES) or "Plotly.newPlot" in card:
        fail("front-end cases: the estimate that does not fit shows headline numbers or a chart")
    print("ok: front-end cases: a misspelled option fails with 'did you mean', two compare lines keep their own --on, "
          "an estimate that does not fit is a card without headline numbers")


try:
    front_end_cases(NOTEBOOKS[0])
    for source in NOTEBOOKS:
        name = os.path.basename(source)
        # The notebook's own folder is the working directory, as in Jupyter (relative data paths).
        result = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", work,
                                 "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=.net-csharp", source],
                                env=env, capture_output=True, text=True)
        executed_path = os.path.join(work, name)
        if result.returncode != 0:
            fail(f"nbconvert could not execute {name}:\n" + result.stderr[-4000:])
        executed = json.load(open(executed_path))
        errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            fail(f"{name}: a cell failed: {errors[0].get('ename')}: {errors[0].get('evalue')}")
        outputs = [text(o["data"]["text/html"]) for c in executed["cells"] for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
        charts = [h for h in outputs if "Plotly.newPlot" in h]
        if not charts:
            fail(f"{name}: no Plotly chart in the outputs")
        if any("wafer-plotly-bundle" not in h for h in charts):
            fail(f"{name}: an offline chart output does not carry plotly.js")
        if any("<progress" in h for h in outputs):
            fail(f"{name}: a progress bar was left in the outputs")

        # Reopen the saved notebook offline.
        page = os.path.join(work, name.replace(".ipynb", ".html"))
        subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "html", "--output-dir", work, executed_path], env=env, check=True, capture_output=True)
        probed = page.replace(".html", ".probe.html")
        open(probed, "w").write(open(page).read().replace("</body>", PROBE + "</body>"))
        profile = tempfile.mkdtemp(prefix="wafer-chromium-", dir=work)
        dom = subprocess.run(CHROMIUM + [f"--user-data-dir={profile}", "file://" + probed], capture_output=True, text=True, timeout=180).stdout
        found = re.search(r'<pre id="chart-check">(.*?)</pre>', dom, re.S)
        if not found:
            fail(f"{name}: the reopened notebook's scripts failed before the probe ran")
        check = json.loads(htmllib.unescape(found.group(1)))
        plots = check["plots"]
        if check["missing"] or len(plots) == 0 or any(p["declared"] == 0 or p["drawn"] != p["declared"] for p in plots):
            fail(f"{name}: reopened offline, not every chart drew: {check}")
        print(f"ok: {name}: every cell succeeded; reopened offline, {len(plots)} charts drew")
finally:
    shutil.rmtree(work, ignore_errors=True)
print(f"jupyter check passed: {len(NOTEBOOKS)} notebooks")
