using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using WaferNotebooks.Cli.Tests.FrontEnds;

namespace WaferNotebooks.Cli.Tests.Fuzzing;

/// <summary>
/// Random and mutated command lines through the CLI (in-process) and the #!wafer directive, with
/// extreme numbers, malformed catalog JSON and validation CSV, on a fixed seed. A case fails on
/// an internal error (exit 70) or an unhandled exception, a run over 10 s, NaN, infinity or a
/// negative quantity in the output, or an exit code that contradicts the output.
/// The default is a few thousand cases in well under a minute; set WAFER_FUZZ_CASES (and
/// WAFER_FUZZ_SEED) for a longer run on demand.
/// </summary>
public partial class FrontEndFuzzTests
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("WAFER_FUZZ_CASES"), out var n) ? n : 2000;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("WAFER_FUZZ_SEED"), out var s) ? s : 20261202;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Valid lines the mutations start from: cheap jobs (small models, few devices), so a case costs milliseconds.</summary>
    private static readonly string[] Seeds =
    [
        "estimate --model llama2-7b --on dgx-h100:64 --tokens 1T",
        "estimate --model gpt3-xl --on dgx-a100-80gb:8 --tokens 30B --layout tp=2,pp=2,mb=2",
        "estimate --model llama2-7b --on cs-3:2 --tokens 1T",
        "estimate --model layers=24,hidden=2048,heads=16,vocab=50000 --on h100:16 --tokens 20B --batch 512 --seq 2K",
        "compare --model llama2-7b --tokens 1T --on dgx-h100:64 --on cs-3:2",
        "sweep --model gpt3-xl --on dgx-a100-80gb --counts 8,16,32 --tokens 30B",
        "sweep --model gpt3-xl --on dgx-h100:16 --vary price=1,2 --tokens 30B",
        "plan --model gpt3-xl --on dgx-h100:16 --tokens 30B --top 3 --objective energy",
        "timeline --model llama2-7b --on dgx-h100:16 --layout tp=8,pp=2 --tokens 1T",
        "catalog systems",
        "estimate --model llama2-7b --on dgx-h100:64 --tokens 1T --pue 1.3 --price 2 --carbon 100 --precision fp8",
    ];

    private static readonly string[] Extremes =
    [
        "0", "-1", "1", "2147483647", "2147483648", "-2147483648", "9223372036854775807", "1e308", "1e-308", "NaN", "Infinity", "-0",
        "9999999M", "1G", "1e30", "4.5", "", "x", "1,2", "8..4096", "1..2147483647", "64..512:0", "tp=65536,pp=65536", "dp=0",
        "layers=2147483647,hidden=1,heads=1,vocab=1", "hidden=1100000000,layers=1,heads=1,vocab=1", "dgx-h100:0", "dgx-h100:2147483647",
        "cs-3:100000", "h100:1G", "batch=0,1", "price=-1", "pue=1e308", "ééé", "\"", "--", "-", "@x",
    ];

    private static readonly string[] OptionNames =
    [
        "--model", "--on", "--tokens", "--batch", "--seq", "--precision", "--layout", "--objective", "--pue", "--price", "--carbon",
        "--top", "--counts", "--vary", "--data", "--kind", "--json", "--token", "--foo", "--on", "--help",
    ];

    [Fact]
    public void Mutated_command_lines_never_crash_hang_or_print_impossible_numbers()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        for (var i = 0; i < Cases && failures.Count < 10; i++)
        {
            var words = Mutate(random, Seeds[random.Next(Seeds.Length)].Split(' ').ToList());
            if (random.Next(4) == 0) words.Add("--json");
            if (Check(words.ToArray()) is { } failure)
                failures.Add($"case {i}: wafer {string.Join(' ', words)}\n  {failure}");
        }
        Assert.True(failures.Count == 0, $"seed {Seed}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Malformed_catalog_json_and_validation_csv_are_refused_or_read_never_crash()
    {
        var random = new Random(Seed + 1);
        var dir = Directory.CreateTempSubdirectory("wafer-fuzz-");
        var csvHeader = File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")).First();
        var csvRows = File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")).Skip(1).Take(6).ToArray();
        const string catalog = """{"models":[{"id":"m-fuzz","name":"Fuzz","layers":4,"hidden":256,"ffn_hidden":1024,"ffn":"gelu","heads":4,"kv_heads":4,"vocab":1000,"seq_len":512,"source":"test"}]}""";
        var failures = new List<string>();
        try
        {
            for (var i = 0; i < Cases / 10 && failures.Count < 10; i++)
            {
                var path = Path.Combine(dir.FullName, $"case{i}");
                string[] args;
                if (i % 2 == 0)
                {
                    // Half the files stay valid JSON with a wrong value in one place (what a user
                    // writes by mistake); the other half are damaged text.
                    File.WriteAllText(path + ".json", random.Next(2) == 0 ? MutateField(random, catalog) : MutateText(random, catalog));
                    args = random.Next(2) == 0
                        ? ["catalog", "models", "--catalog", path + ".json"]
                        : ["estimate", "--model", "m-fuzz", "--on", "dgx-h100:8", "--tokens", "1B", "--catalog", path + ".json"];
                }
                else
                {
                    var rows = Enumerable.Range(0, random.Next(0, 3)).Select(_ => csvRows[random.Next(csvRows.Length)]);
                    File.WriteAllText(path + ".csv", MutateText(random, string.Join("\n", rows.Prepend(csvHeader))));
                    args = ["validate", "--data", path + ".csv"];
                }
                if (Check(args) is { } failure)
                    failures.Add($"case {i}: {File.ReadAllText(args[^1])[..Math.Min(400, File.ReadAllText(args[^1]).Length)]}\n  {failure}");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        Assert.True(failures.Count == 0, $"seed {Seed + 1}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Mutated_directive_lines_fail_only_as_the_cli_refuses_them()
    {
        using var kernel = await ExtensionKernel.CreateAsync();
        // The first cell pays for JIT and the kernel's start; it is not a hang of the line.
        await kernel.SendAsync(new SubmitCode("#!wafer " + Seeds[0]));
        var random = new Random(Seed + 2);
        var failures = new List<string>();
        for (var i = 0; i < Math.Max(40, Cases / 20) && failures.Count < 10; i++)
        {
            var words = Mutate(random, Seeds[random.Next(Seeds.Length)].Split(' ').ToList())
                .Where(w => w.Length > 0 && !w.Contains('"') && !w.StartsWith('@') && w != "--json").ToList();
            if (words.Count == 0 || words[0].StartsWith('-')) continue;
            var cli = CliRunner.Run(words.ToArray());
            var watch = Stopwatch.StartNew();
            var cell = await kernel.SendAsync(new SubmitCode("#!wafer " + string.Join(' ', words)));
            var failed = cell.Events.OfType<CommandFailed>().FirstOrDefault();
            var line = "#!wafer " + string.Join(' ', words);
            if (watch.Elapsed > Limit) failures.Add($"{line}: took {watch.Elapsed.TotalSeconds:F1} s");
            else if (failed?.Exception is { } ex) failures.Add($"{line}: unhandled {ex.GetType().Name}: {ex.Message}");
            else if (cli.ExitCode == ExitCodes.InternalError) failures.Add($"{line}: CLI internal error {cli.Err}");
            // .NET Interactive's own parser may refuse a line before #!wafer sees it (a value it cannot
            // tokenize); otherwise the notebook fails exactly when the CLI refuses the line as bad input.
            else if (failed is not null && !failed.Message.Contains("DNI") && cli.ExitCode != ExitCodes.BadInput)
                failures.Add($"{line}: the notebook failed ({failed.Message}) but the CLI exited {cli.ExitCode}");
            else if (failed is null && cli.ExitCode == ExitCodes.BadInput)
                failures.Add($"{line}: the CLI refused it ({cli.Err.Trim()}) but the notebook ran it");
        }
        Assert.True(failures.Count == 0, $"seed {Seed + 2}:\n" + string.Join("\n", failures));
    }

    /// <summary>Runs one line through the CLI and says what is wrong with the outcome, or null.</summary>
    private static string? Check(string[] args)
    {
        var watch = Stopwatch.StartNew();
        var task = Task.Run(() => CliRunner.Run(args));
        if (!task.Wait(Limit)) return $"still running after {Limit.TotalSeconds} s";
        var run = task.Result;
        var took = watch.Elapsed;
        if (run.ExitCode == ExitCodes.InternalError) return $"internal error: {run.Err.Trim()}";
        if (run.Err.Contains("   at ") || run.Out.Contains("   at ")) return "a stack trace was printed";
        switch (run.ExitCode)
        {
            case ExitCodes.Ok when run.Out.Length == 0: return "exit 0 with nothing on stdout";
            case ExitCodes.Ok when run.Err.Contains("error:"): return $"exit 0 with an error: {run.Err.Trim()}";
            case ExitCodes.BadInput when !run.Err.StartsWith("error: "): return $"exit 1 without an error message: {run.Err.Trim()}";
            case ExitCodes.Infeasible when !run.Err.StartsWith("does not fit: "): return $"exit 3 without saying why: {run.Err.Trim()}";
            case ExitCodes.Ok or ExitCodes.BadInput or ExitCodes.Infeasible: break;
            default: return $"unexpected exit code {run.ExitCode}: {run.Err.Trim()}";
        }
        if (run.ExitCode == ExitCodes.BadInput && run.Out.Length > 0 && args[0] != "validate") return "exit 1 after printing a result";
        if (ImpossibleNumber(run.Out, args[0]) is { } bad) return $"impossible number '{bad}' in the output";
        return took > Limit ? $"took {took.TotalSeconds:F1} s" : null;
    }

    /// <summary>NaN, infinity, or a negative quantity (signed errors of validate and signed sensitivities excepted).</summary>
    private static string? ImpossibleNumber(string output, string subcommand)
    {
        // A message may quote the user's own bad value ('Infinity'); only the tool's numbers count.
        var ours = Regex.Replace(output, @"'[^'\n]*'", "''");
        if (Regex.Match(ours, @"\b(NaN|Infinity)\b|∞") is { Success: true } m) return m.Value;
        if (subcommand is "validate" or "catalog") return null;
        return Negative().Match(output) is { Success: true } neg ? neg.Value : null;
    }

    /// <summary>A minus sign before a digit that is not part of a word, a range (a–b) or a signed percentage.</summary>
    [GeneratedRegex(@"(?<![\w\-–.])-\d[\d,.]*(?![\d,.]*%)(?![\w])")]
    private static partial Regex Negative();

    private static List<string> Mutate(Random random, List<string> words)
    {
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var i = random.Next(words.Count);
            switch (random.Next(8))
            {
                case 0 when words.Count > 1: words.RemoveAt(i); break;
                case 1: words[i] = Extremes[random.Next(Extremes.Length)]; break;
                case 2: words.Insert(i, OptionNames[random.Next(OptionNames.Length)]); break;
                case 3: words.AddRange([OptionNames[random.Next(OptionNames.Length)], Extremes[random.Next(Extremes.Length)]]); break;
                case 4 when words[i].Length > 2: words[i] = words[i].Remove(random.Next(words[i].Length), 1); break;
                case 5: words[i] = words[i] + (char)random.Next('!', '~'); break;
                case 6 when i + 1 < words.Count && words[i].StartsWith("--"): words.AddRange([words[i], words[i + 1]]); break;
                default:
                    var j = random.Next(words.Count);
                    (words[i], words[j]) = (words[j], words[i]);
                    break;
            }
        }
        return words;
    }

    /// <summary>The catalog with one field (or the whole entry) replaced by null, a negative, a string, an array or an object.</summary>
    private static string MutateField(Random random, string json)
    {
        string[] values = ["null", "-5", "-1e300", "\"x\"", "[]", "{}", "0", "2147483648", "1e300"];
        var fields = Regex.Matches(json, "\"[a-z_]+\":(\"[^\"]*\"|[0-9.]+)").ToArray();
        var value = values[random.Next(values.Length)];
        if (random.Next(8) == 0) return json.Replace("[{", "[" + value + ",{");
        var field = fields[random.Next(fields.Length)];
        return json[..field.Groups[1].Index] + value + json[(field.Groups[1].Index + field.Groups[1].Length)..];
    }

    private static string MutateText(Random random, string text)
    {
        var sb = new StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && sb.Length > 0; e++)
        {
            var at = random.Next(sb.Length);
            switch (random.Next(6))
            {
                case 0: sb.Remove(at, Math.Min(sb.Length - at, random.Next(1, 8))); break;
                case 1: sb.Insert(at, Extremes[random.Next(Extremes.Length)]); break;
                case 2: sb.Insert(at, new[] { "null", "-5", "1e999", ",", "{", "]", "\"", "\n", "\"x\":null," }[random.Next(9)]); break;
                case 3: sb[at] = (char)random.Next(' ', '~'); break;
                case 4: sb.Append('\n').Append(text.Split('\n')[^1]); break;
                default: sb.Replace("4", "-4", at, Math.Min(sb.Length - at, 40)); break;
            }
        }
        return sb.ToString();
    }
}
