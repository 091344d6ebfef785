using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Perisai.Server.Auth;
using Perisai.Server.Taxii;

namespace Perisai.Server.Tests.Taxii;

/// <summary>Hostile query strings and credentials: a TAXII 400/401 or a value, never another exception.</summary>
public class QueryParsingPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(5000);

    private static readonly string[] Keys = ["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]", "match[x]"];

    private static Arbitrary<(string Key, string[] Values)[]> Queries() => Arb.From(
        Gen.Elements(Keys).SelectMany(k =>
            Gen.Elements("", ",", "all", "last,first", "first,first", "2016-01-01T00:00:00Z", "2016-13-01T00:00:00Z", "0", "-1",
                "99999999999", "v1.MTIz", "v1.!!", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "a,,b", "\u0000")
            .ArrayOf().Select(v => (k, v))).ArrayOf());

    [Fact]
    public void Parse_AnyQuery_IsFiltersOrA400()
    {
        Prop.ForAll(Queries(), pairs =>
        {
            var dict = new Dictionary<string, StringValues>(StringComparer.Ordinal);
            foreach (var (k, v) in pairs)
            {
                dict[k] = new StringValues(v);
            }
            try
            {
                var f = QueryFilters.Parse(new QueryCollection(dict));
                return f.Limit is null or > 0;
            }
            catch (TaxiiException e)
            {
                return e.Status == 400;
            }
        }).Check(Config);
    }

    [Fact]
    public void CursorAndKeyParsers_AnyString_AnswerWithoutThrowing()
    {
        Prop.ForAll(Arb.From(Gen.Elements('v', '1', '.', '_', 'p', 'e', 'r', 'i', 's', 'a', '0', '-', '=', '/', '+', '\u00ff').ArrayOf().Select(c => new string(c))), s =>
        {
            _ = Cursor.Decode(s);
            _ = Cursor.Decode("v1." + s);
            _ = ApiKeys.TryParse(s, out _, out _);
            _ = ApiKeys.TryParse("perisai_0123456789abcdef_" + s, out _, out _);
            return true;
        }).Check(Config);
    }

    [Fact]
    public void Cursor_RoundTrips()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue).Select(i => (long)i * 1000)), v => Cursor.Decode(Cursor.Encode(v)) == v).Check(Config);
    }
}
