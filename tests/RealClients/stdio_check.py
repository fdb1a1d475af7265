#!/usr/bin/env python3
"""Drives the unmodified dotnet-interactive tool over stdio (the JSON-lines protocol VS Code
uses): runs a shipped notebook's code cells as they are, first cell included (it loads the
extension from the local feed that build/pack-feed.sh registered), then checks that #!wafer and
the result formatters produce Plotly chart HTML. Exits non-zero with the reason on any failure.

usage: stdio_check.py NOTEBOOK.ipynb
"""
import json, os, signal, subprocess, sys, threading, queue, time

NOTEBOOK = sys.argv[1]
TIMEOUT_S = 240
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from front_end_cases import MISSPELLED, TWO_COMPARES, INFEASIBLE, HEADLINES  # noqa: E402

# A global tool lives in ~/.dotnet/tools, which a fresh shell may not have on PATH.
env = dict(os.environ, PATH=os.environ.get("PATH", "") + os.pathsep + os.path.expanduser("~/.dotnet/tools"))
proc = subprocess.Popen(["dotnet", "interactive", "stdio", "--default-kernel", "csharp"], env=env,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
                        start_new_session=True)


def stop():
    """`dotnet interactive` starts the tool as a child process: end the whole process group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
token = 0


def submit(code):
    """Sends one cell; returns (succeeded, failure message, html outputs)."""
    global token
    token += 1
    t = f"wafer-{token}"
    proc.stdin.write(json.dumps({"token": t, "commandType": "SubmitCode",
                                 "command": {"code": code, "targetKernelName": "csharp"}}) + "\n")
    proc.stdin.flush()
    html, deadline = [], time.time() + TIMEOUT_S
    while time.time() < deadline:
        try:
            line = lines.get(timeout=5)
        except queue.Empty:
            continue
        try:
            envelope = json.loads(line)
        except ValueError:
            continue
        command = envelope.get("command") or {}
        if "eventType" not in envelope or not str(command.get("token", "")).startswith(t):
            continue
        kind, event = envelope["eventType"], envelope.get("event", {})
        for value in event.get("formattedValues", []) or []:
            if value.get("mimeType") == "text/html":
                html.append(value.get("value", ""))
        if kind == "CommandSucceeded" and command["token"] == t:
            return True, None, html
        if kind == "CommandFailed" and command["token"] == t:
            return False, event.get("message", ""), html
    raise SystemExit(f"no answer within {TIMEOUT_S} s to: {code}")


def expect(ok, why):
    if not ok:
        stop()
        raise SystemExit("FAILED: " + why)
    print("ok:", why)


try:
    notebook = json.load(open(NOTEBOOK))
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    expect(code[0].strip() == '#r "nuget: WaferNotebooks.Interactive, *-*"', f"the notebook starts with the documented first cell ({code[0]!r})")
    for number, cell in enumerate(code, 1):
        ok, msg, html = submit(cell)
        expect(ok, f"{os.path.basename(NOTEBOOK)} code cell {number} succeeds as shipped ({msg})")
        if number == 1:
            expect(any("#!wafer" in h for h in html), "the first cell loads the extension and prints the line naming #!wafer")

    ok, msg, html = submit("#!wafer --help")
    expect(ok and any("estimate" in h and "timeline" in h for h in html), "#!wafer --help lists the subcommands")

    ok, msg, html = submit("#!wafer estimate --help")
    expect(ok and any("--model" in h and "Example" in h for h in html), "#!wafer estimate --help shows options and an example")

    # A result record built in C# goes through the extension's formatter and the Plotly.NET
    # renderer in its private load context: this is where a broken FSharp.Core isolation fails.
    ok, msg, html = submit(r'''
using WaferNotebooks.Core.Catalog; using WaferNotebooks.Core.Workload; using WaferNotebooks.Core.Parallel; using WaferNotebooks.Core.Results;
var model = new ModelSpec("llama2-70b", "Llama 2 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);
var job = new TrainingJob(model, 2e12, 1024, 4096);
var e = new Estimate
{
    Job = job, SystemId = "dgx-h100", DeviceName = "H100 SXM", Devices = 512, Layout = new Layout(Tp: 8, Pp: 4, Dp: 16),
    ExecutionMode = ExecutionMode.ThreeDParallel, Feasible = true, StepTimeS = 9.5,
    Breakdown = new StepBreakdown([new("compute", 7.0, "GEMMs"), new("tp_comm", 1.5, "all-reduce"), new("bubble", 1.0, "pipeline fill")]),
    TokensPerS = 441500, ModelTflopsPerDevice = 400, HardwareTflopsPerDevice = 420, Mfu = 0.41, Hfu = 0.43,
    Memory = new MemoryBreakdown([new("weights", 4.4, "bf16"), new("optimizer", 26.3, "Adam"), new("activations", 30.0, "selective")], 80),
    TimeToTrainDays = 52.4, DeviceHours = 644000, AveragePowerKw = 820, EnergyMwh = 1031, CostUsd = 1.9e6, Co2Tonnes = 378,
    Bottleneck = "compute-bound: GEMMs take 74% of the step", Assumptions = [],
};
e''')
    expect(ok, f"a cell returning an Estimate succeeds ({msg})")
    joined = "\n".join(html)
    expect("Plotly.newPlot" in joined, "the Estimate renders Plotly charts")
    expect("FSharp.Core" not in joined, "no FSharp.Core load error in the output")
    expect('"name":"compute"' in joined and '"name":"tensor-parallel comm."' in joined, "the step breakdown has a trace per part")
    expect("52.4 days" in joined, "the card shows time to train")

    ok, msg, html = submit("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T --name run1")
    joined = "\n".join(html)
    expect(ok, f"#!wafer estimate succeeds ({msg})")
    expect("Plotly.newPlot" in joined and '"name":"compute"' in joined, "#!wafer estimate draws the step breakdown")

    ok, msg, html = submit("run1.TimeToTrainDays")
    expect(ok and html, f"--name run1 is a C# variable ({msg})")

    # A user's restyled chart, drawn through the extension's isolated renderer: in this tool a
    # Plotly.NET call from a cell would fail on FSharp.Core.
    ok, msg, html = submit('''using WaferNotebooks.Interactive;
var figure = System.Text.Json.Nodes.JsonNode.Parse(WaferCharts.Figures(run1)[0].PlotlyJson)!;
figure["layout"]!["title"]!["text"] = "restyled in a cell";
WaferCharts.Draw(figure.ToJsonString())''')
    joined = "\n".join(html)
    expect(ok and "restyled in a cell" in joined and "Plotly.newPlot" in joined, f"a changed figure draws through the renderer ({msg})")

    ok, msg, html = submit("#!wafer compare --model llama2-70b --tokens 2T --on dgx-h100:512 --on dgx-a100-80gb:1024")
    joined = "\n".join(html)
    expect(ok, f"#!wafer compare succeeds ({msg})")
    expect('"name":"dgx-h100:512"' in joined and '"name":"dgx-a100-80gb:1024"' in joined, "#!wafer compare charts both systems")

    # The front-end cases of issue 12, as a user types them in the real tool.
    ok, msg, html = submit(MISSPELLED)
    expect(not ok and msg and "did you mean --tokens?" in msg, f"a misspelled option fails the cell with 'did you mean' ({msg!r})")

    ok, msg, html = submit(TWO_COMPARES)
    cards = [h for h in html if "wafer-result" in h]
    expect(ok and len(cards) == 2, f"two #!wafer compare lines in one cell show two results ({msg}, {len(cards)} shown)")
    expect("dgx-a100-80gb:64" in cards[0] and "cs-3:2" not in cards[0], "the first compare uses its own --on values")
    expect("cs-3:2" in cards[1] and "dgx-h200:32" in cards[1] and "dgx-a100-80gb:64" not in cards[1], "the second compare uses its own --on values")

    ok, msg, html = submit(INFEASIBLE)
    joined = "\n".join(html)
    expect(ok and ": does not fit" in joined and "Overflows" in joined and "with a ZeRO stage" in joined,
           f"an estimate that does not fit shows a card saying so, with what overflows and a hint ({msg})")
    expect(not any(word in joined for word in HEADLINES) and "Plotly.newPlot" not in joined,
           "an estimate that does not fit has no headline numbers and no charts")

    ok, msg, html = submit("#!wafer estimate --model no-such-model --on dgx-h100:512")
    expect(not ok and msg and "no-such-model" in msg, f"an unknown model fails the cell with a message ({msg!r})")

    ok, msg, html = submit("1 + 1")
    expect(ok, "the kernel still runs C# after a failed cell")
finally:
    stop()
print("stdio check passed")
