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


try:
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
