using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Tests.Catalog;

/// <summary>Lookups by id, and the "did you mean" messages when an id is unknown.</summary>
public class CatalogLookupTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    [Fact]
    public void Ids_are_found_case_insensitively_and_trimmed()
    {
        Assert.Equal("llama2-70b", Catalog.FindModel(" LLaMA2-70B ").Id);
        Assert.Equal("dgx-h100", Catalog.FindSystem("DGX-H100").Id);
        Assert.Equal("h100-sxm", Catalog.FindAccelerator("H100").Id);
    }

    [Fact]
    public void An_unknown_model_names_the_closest_ids_and_the_list_command()
    {
        var e = Assert.Throws<CatalogLookupException>(() => Catalog.FindModel("lama2-70b"));
        Assert.Equal("llama2-70b", e.Suggestions[0]);
        Assert.Contains("llama2-13b", e.Suggestions);
        Assert.StartsWith("Unknown model 'lama2-70b'. Did you mean: llama2-70b, ", e.Message);
        Assert.EndsWith("? Run `wafer catalog models` to list all.", e.Message);
        Assert.Equal(("model", "lama2-70b"), (e.Kind, e.Id));
    }

    [Fact]
    public void A_prefix_or_substring_finds_the_family()
    {
        var e = Assert.Throws<CatalogLookupException>(() => Catalog.FindModel("405b"));
        Assert.Contains("llama3-405b", e.Suggestions);
        var f = Assert.Throws<CatalogLookupException>(() => Catalog.FindModel("cerebras-gpt"));
        Assert.All(f.Suggestions, s => Assert.StartsWith("cerebras-gpt-", s));
    }

    [Fact]
    public void An_unknown_system_suggests_systems_and_accelerators()
    {
        var e = Assert.Throws<CatalogLookupException>(() => Catalog.FindSystem("dgx-h10"));
        Assert.Equal("dgx-h100", e.Suggestions[0]);
        Assert.Contains("wafer catalog systems", e.Message);
        var g = Assert.Throws<CatalogLookupException>(() => Catalog.FindSystem("h10"));
        Assert.Contains("h100", g.Suggestions);
    }

    [Fact]
    public void An_unknown_accelerator_suggests_close_ones()
    {
        var e = Assert.Throws<CatalogLookupException>(() => Catalog.FindAccelerator("mi300"));
        Assert.Contains("mi300x", e.Suggestions);
        Assert.Contains("wafer catalog accelerators", e.Message);
    }

    [Fact]
    public void Nothing_close_gives_no_suggestion_but_still_the_list_command()
    {
        var e = Assert.Throws<CatalogLookupException>(() => Catalog.FindModel("zzzzzzzzzzzzzzzzzz"));
        Assert.Empty(e.Suggestions);
        Assert.Equal("Unknown model 'zzzzzzzzzzzzzzzzzz'. Run `wafer catalog models` to list all.", e.Message);
    }

    [Fact]
    public void A_lookup_failure_is_bad_user_input() =>
        Assert.IsAssignableFrom<WaferInputException>(Assert.Throws<CatalogLookupException>(() => Catalog.FindSystem("")));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("llama2-70b", "llama2-70b", 0)]
    [InlineData("lama2-70b", "llama2-70b", 1)]
    public void Edit_distance_is_levenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, CloseMatches.Levenshtein(a, b));
}
