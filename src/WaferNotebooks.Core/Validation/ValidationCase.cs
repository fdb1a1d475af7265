using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// One published measurement as given by a row of the validation schema
/// (data/validation/README.md). Null means the cell was empty: "not published", never zero.
/// </summary>
public sealed record ValidationCase(
    string Id,
    int Line,
    string ModelName,
    double? ParamsB,
    int Layers,
    int Hidden,
    int? FfnHidden,
    int Heads,
    int? KvHeads,
    int? Vocab,
    int SeqLen,
    int? GlobalBatchSeqs,
    int? MicroBatch,
    int? MoeExperts,
    int? MoeActive,
    string SystemId,
    int? Devices,
    int? Tp,
    int? Pp,
    int? Dp,
    int? Cp,
    int? Ep,
    int? Vpp,
    int? ZeroStage,
    Recompute? Recompute,
    bool? SequenceParallel,
    Precision Precision,
    double? TokensB,
    string Metric,
    double Value,
    string Notes,
    string Source = "")
{
    /// <summary>The optional columns (framework, attention, batch in tokens, ...): what older files kept in notes.</summary>
    public CaseInputs Inputs { get; init; } = CaseInputs.None;

    /// <summary>The required and core columns; the optional ones are <see cref="CaseInputs.Columns"/>.</summary>
    public static readonly string[] Columns =
    [
        "id", "model", "params_b", "layers", "hidden", "ffn_hidden", "heads", "kv_heads", "vocab", "seq_len",
        "global_batch_seqs", "micro_batch", "moe_experts", "moe_active", "system", "devices", "tp", "pp", "dp",
        "cp", "ep", "vpp", "zero_stage", "recompute", "sequence_parallel", "precision", "tokens_b", "metric",
        "value", "source", "notes",
    ];

    /// <summary>Columns kept for the record beside the schema (the wafer logs' provenance, data/validation/wafer/README.md): accepted, not read by a prediction.</summary>
    public static readonly string[] RecordColumns = ["software_release", "log_date", "source_commit", "assumed"];

    /// <summary>Every column a validation CSV may have; any other name in a header is refused (a misspelt column would read as empty).</summary>
    public static IEnumerable<string> KnownColumns => Columns.Concat(CaseInputs.Columns).Concat(RecordColumns);

    /// <summary>
    /// Why the row's values cannot all be true together, or null: a layout that does not multiply
    /// to the device count, interleaving without a pipeline, sequence or tensor parallelism without
    /// a tensor-parallel group, a batch given in sequences and in tokens that disagree.
    /// </summary>
    public string? Contradiction()
    {
        if (Devices is { } n && Tp is { } tp && Pp is { } pp && Dp is { } dp)
        {
            int product = tp * pp * dp * (Cp ?? 1);
            if (Cp is { } cp ? product != n : n % product != 0)
                return Cp is { } c
                    ? $"layout tp·pp·dp·cp = {tp}·{pp}·{dp}·{c} = {product} but devices = {n}: the product must equal the device count"
                    : $"layout tp·pp·dp = {tp}·{pp}·{dp} = {product} does not divide devices = {n}: the product (times cp) must equal the device count";
        }
        if (Pp == 1 && Vpp > 1) return $"vpp = {Vpp} with pp = 1: interleaving needs a pipeline (vpp is 1 when pp is 1)";
        if (Inputs.Interleaved == false && Vpp > 1) return $"interleaved = 0 but vpp = {Vpp}: vpp > 1 is an interleaved schedule";
        if (Inputs.Interleaved == true && (Pp == 1 || Vpp == 1)) return "interleaved = 1 but " + (Pp == 1 ? "pp = 1" : "vpp = 1") + ": an interleaved schedule needs pp > 1 and vpp > 1";
        if (SequenceParallel == true && Tp == 1) return "sequence_parallel = 1 with tp = 1: sequence parallelism shards along the tensor-parallel group";
        if (Inputs.TensorParallel == false && Tp > 1) return $"tensor_parallel = 0 but tp = {Tp}";
        if (Inputs.TensorParallel == true && Tp == 1) return "tensor_parallel = 1 but tp = 1";
        if (Inputs.ActivationOffloadLayers is { } offload && Recompute == Workload.Recompute.Full)
            return $"activation_offload = {offload} with recompute = full: a fully recomputed layer stores only its input, so nothing is left to offload (offload goes with recompute none or selective)";
        if (Inputs.RematPolicy is { } remat && Recompute is { } r && r != remat.Recompute)
            return $"remat_policy = {remat.Name} recomputes {remat.Recompute.ToString().ToLowerInvariant()} (full saves only each layer's input, every other policy is selective), but recompute = {r.ToString().ToLowerInvariant()}";
        if (Inputs.RematPolicy is { } offloadRemat && Inputs.ActivationOffloadLayers is { } offloadedLayers)
            return $"activation_offload = {offloadedLayers} with remat_policy = {offloadRemat.Name}: MaxText offloads through its own policies (minimal_offloaded), which are not modelled";
        if (GlobalBatchSeqs is { } seqs && Inputs.BatchTokens is { } tokens && Math.Abs((double)seqs * SeqLen - tokens) > 0.05 * tokens)
            return $"global_batch_seqs = {seqs} ({(double)seqs * SeqLen:N0} tokens) and batch_tokens = {tokens:N0} disagree by more than 5%";
        return null;
    }

    /// <summary>Reads a record by header name; throws <see cref="FormatException"/> naming the bad column.</summary>
    public static ValidationCase From(CsvRecord record, IReadOnlyDictionary<string, int> header)
    {
        string Cell(string name) =>
            header.TryGetValue(name, out int i) && i < record.Fields.Count ? record.Fields[i].Trim() : "";
        double? Num(string name)
        {
            string s = Cell(name);
            if (s.Length == 0) return null;
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new FormatException($"column {name} is not a number: '{s}'");
            if (v < 0) throw new FormatException($"column {name} is negative: '{s}'");
            return v;
        }
        int? Int(string name)
        {
            double? v = Num(name);
            if (v is null) return null;
            if (v != Math.Floor(v.Value) || v > int.MaxValue) throw new FormatException($"column {name} must be a whole number: '{Cell(name)}'");
            return (int)v.Value;
        }
        int Required(string name) => Int(name) is { } v && v > 0 ? v : throw new FormatException($"column {name} is required and must be positive");

        string id = Cell("id");
        if (id.Length == 0) throw new FormatException("column id is empty");
        string metric = Cell("metric");
        if (metric.Length == 0) throw new FormatException("column metric is empty");
        double value = Num("value") ?? throw new FormatException("column value is empty");
        string system = Cell("system");
        if (system.Length == 0) throw new FormatException("column system is empty");

        Recompute? recompute = Cell("recompute").ToLowerInvariant() switch
        {
            "" => null,
            "none" => Workload.Recompute.None,
            "selective" => Workload.Recompute.Selective,
            "full" => Workload.Recompute.Full,
            var other => throw new FormatException($"column recompute must be none, selective or full, not '{other}'"),
        };
        var precision = Cell("precision").ToLowerInvariant() switch
        {
            "" or "bf16" => Catalog.Precision.Bf16,
            "fp16" => Catalog.Precision.Fp16,
            "fp8" => Catalog.Precision.Fp8,
            "fp4" => Catalog.Precision.Fp4,
            var other => throw new FormatException($"column precision must be bf16, fp16, fp8 or fp4, not '{other}'"),
        };
        bool? sp = Int("sequence_parallel") switch { null => null, 0 => false, 1 => true, var v => throw new FormatException($"column sequence_parallel must be 0 or 1, not {v}") };

        return new ValidationCase(
            id, record.Line, Cell("model"), Num("params_b"),
            Required("layers"), Required("hidden"), Int("ffn_hidden"), Required("heads"), Int("kv_heads"), Int("vocab"),
            Required("seq_len"), Int("global_batch_seqs"), Int("micro_batch"), Int("moe_experts"), Int("moe_active"),
            system, Int("devices"), Int("tp"), Int("pp"), Int("dp"), Int("cp"), Int("ep"), Int("vpp"), Int("zero_stage"),
            recompute, sp, precision, Num("tokens_b"), metric, value, Cell("notes"), Cell("source"))
        {
            Inputs = CaseInputs.From(Cell, Int, Num),
        };
    }
}
