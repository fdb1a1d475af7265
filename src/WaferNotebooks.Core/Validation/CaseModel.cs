using System.Globalization;
using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// The model a validation row describes, from its shape columns. What the schema has no column
/// for is read from the row's notes where the README says it lives there (head dimension,
/// shared experts, leading dense layers). Whether the MLP is gated and whether the embeddings
/// are tied is not a column: both are chosen so the parameter count from the shapes comes
/// closest to the published <c>params_b</c> (the column's stated use: a cross-check). Without
/// params_b: gated when the notes say SwiGLU/GeGLU/gated or ffn_hidden is not 4·hidden; untied.
/// Dropout (its masks count in activation memory) is assumed unless the notes say "no dropout".
/// </summary>
public static partial class CaseModel
{
    [GeneratedRegex(@"head[ -]dim(?:ension)?\s*(?:of|=|is)?\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex HeadDimText();

    [GeneratedRegex(@"(\d+)\s*heads\s*[x×]\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex HeadsTimesDim();

    [GeneratedRegex(@"(\d+)\s*shared\s+experts?", RegexOptions.IgnoreCase)]
    private static partial Regex SharedExperts();

    [GeneratedRegex(@"first\s+(\d+)\s+(?:layers?\s+)?(?:are\s+)?dense", RegexOptions.IgnoreCase)]
    private static partial Regex DenseLayers();

    [GeneratedRegex(@"dense[- ](?:layer\s+)?(?:ffn|mlp|intermediate)[^0-9]{0,20}([\d,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex DenseFfn();

    [GeneratedRegex(@"swiglu|geglu|gated", RegexOptions.IgnoreCase)]
    private static partial Regex GatedText();

    [GeneratedRegex(@"no dropout|without dropout|dropout (?:of )?0(?:\.0)?(?![.\d])", RegexOptions.IgnoreCase)]
    private static partial Regex NoDropoutText();

    public static ModelSpec Build(ValidationCase c)
    {
        int headDim = HeadDim(c);
        int ffn = c.FfnHidden ?? 4 * c.Hidden;
        MoeSpec? moe = null;
        if (c.MoeExperts is { } experts && experts > 1)
        {
            int shared = Match(SharedExperts(), c.Notes) ?? 0;
            int dense = Match(DenseLayers(), c.Notes) ?? 0;
            int denseFfn = Match(DenseFfn(), c.Notes) ?? 0;
            moe = new MoeSpec(experts, c.MoeActive ?? 1, shared, ffn, dense, denseFfn);
        }
        var baseSpec = new ModelSpec(
            c.Id, c.ModelName, c.Layers, c.Hidden, ffn, FfnKind.Gelu, c.Heads, c.KvHeads ?? c.Heads, headDim,
            c.Vocab ?? 51200, c.SeqLen, moe, false, c.ParamsB, "validation row " + c.Id, c.Notes,
            Dropout: !NoDropoutText().IsMatch(c.Notes));

        if (c.ParamsB is not { } published)
        {
            bool gated = GatedText().IsMatch(c.Notes + " " + c.ModelName) || ffn != 4 * c.Hidden;
            return baseSpec with { Ffn = gated ? FfnKind.SwiGlu : FfnKind.Gelu };
        }
        var options = new[] { FfnKind.Gelu, FfnKind.SwiGlu }
            .SelectMany(k => new[] { false, true }.Select(tied => baseSpec with { Ffn = k, TiedEmbeddings = tied }));
        return options.MinBy(s => Math.Abs(TransformerArithmetic.Parameters(s).Total / 1e9 - published))!;
    }

    static int HeadDim(ValidationCase c)
    {
        if (Match(HeadDimText(), c.Notes) is { } d) return d;
        var m = HeadsTimesDim().Match(c.Notes);
        if (m.Success && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) == c.Heads)
            return int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return c.Hidden / c.Heads;
    }

    static int? Match(Regex r, string text)
    {
        var m = r.Match(text);
        return m.Success && int.TryParse(m.Groups[1].Value.Replace(",", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
    }
}
