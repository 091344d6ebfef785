using Perisai.Detection.Indicators;

namespace Perisai.Detection.Tests;

/// <summary>Indicators the scanner tests share, and a scan clock inside their validity.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public const string EvilDomain = "indicator--00000000-0000-4000-8000-00000000000a";
    public const string TenSlash8 = "indicator--00000000-0000-4000-8000-00000000000b";
    public const string BadUrl = "indicator--00000000-0000-4000-8000-00000000000c";
    public const string Hash = "indicator--00000000-0000-4000-8000-00000000000d";
    public const string Expired = "indicator--00000000-0000-4000-8000-00000000000e";
    public const string Revoked = "indicator--00000000-0000-4000-8000-00000000000f";
    public const string Phish = "indicator--00000000-0000-4000-8000-000000000010";
    public const string V6 = "indicator--00000000-0000-4000-8000-000000000011";
    public const string NeedsEngine = "indicator--00000000-0000-4000-8000-000000000012";
    public const string Resolver = "indicator--00000000-0000-4000-8000-000000000013";
    public const string ForcedResolver = "indicator--00000000-0000-4000-8000-000000000014";
    public const string Agent = "indicator--00000000-0000-4000-8000-000000000015";
    public const string Idn = "indicator--00000000-0000-4000-8000-000000000016";

    public const string Sha256 = "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa";

    private static string Indicator(string id, string pattern, string validFrom = "2026-01-01T00:00:00Z", string? validUntil = null, bool revoked = false, bool force = false) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = id, ["created"] = "2026-01-01T00:00:00.000Z",
            ["modified"] = "2026-01-01T00:00:00.000Z", ["pattern"] = pattern, ["pattern_type"] = "stix", ["valid_from"] = validFrom,
            ["valid_until"] = validUntil, ["revoked"] = revoked, ["x_perisai_force"] = force,
        });

    public static string Bundle() => "{\"type\":\"bundle\",\"id\":\"bundle--00000000-0000-4000-8000-000000000001\",\"objects\":[" + string.Join(",",
        Indicator(EvilDomain, "[domain-name:value = 'evil.com']"),
        Indicator(TenSlash8, "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"),
        Indicator(BadUrl, "[url:value = 'http://bad.example/payload.exe']"),
        Indicator(Hash, $"[file:hashes.'SHA-256' = '{Sha256}']"),
        Indicator(Expired, "[domain-name:value = 'expired.example']", validUntil: "2026-06-01T00:00:00Z"),
        Indicator(Revoked, "[domain-name:value = 'revoked.example']", revoked: true),
        Indicator(Phish, "[email-addr:value = 'phish@evil.org']"),
        Indicator(V6, "[ipv6-addr:value = '2001:db8::bad']"),
        Indicator(NeedsEngine, "[file:name = 'x.exe' AND file:size = 3]"),
        Indicator(Resolver, "[ipv4-addr:value = '8.8.8.8']"),
        Indicator(ForcedResolver, "[ipv4-addr:value = '8.8.4.4']", force: true),
        Indicator(Agent, "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'EvilBot/1.0']"),
        Indicator(Idn, "[domain-name:value = 'bücher.example']")) + "]}";

    public static IndicatorSet Set()
    {
        var problems = new List<IndicatorProblem>();
        var indicators = IndicatorSource.Read("intel.json", Bundle(), problems);
        Assert.Empty(problems);
        return IndicatorSet.Build(indicators, Now);
    }

    /// <summary>
    /// The set with one more engine indicator, which never matches but refers to every type of object a log value
    /// becomes: every line with a value is then parsed by the string path, none skipped by a prefilter.
    /// </summary>
    public static IndicatorSet StringPathSet()
    {
        const string Everything = "[domain-name:value LIKE '%.never.invalid'] OR [ipv4-addr:value LIKE 'never%'] OR [ipv6-addr:value LIKE 'never%'] "
            + "OR [url:value LIKE 'never%'] OR [email-addr:value LIKE 'never%'] OR [file:name LIKE 'never%'] "
            + "OR [x509-certificate:serial_number LIKE 'never%'] OR [network-traffic:protocols[*] LIKE 'never%'] OR [x-ja3:value LIKE 'never%']";
        string bundle = Bundle().Replace("]}", "," + Indicator("indicator--00000000-0000-4000-8000-0000000000ff", Everything) + "]}", StringComparison.Ordinal);
        var problems = new List<IndicatorProblem>();
        var set = IndicatorSet.Build(IndicatorSource.Read("intel.json", bundle, problems), Now);
        Assert.Empty(problems);
        Assert.Equal(2, set.Engine.Count);
        return set;
    }

    /// <summary>
    /// The set without the indicator the pattern engine runs: with one loaded every value of every line is wanted, and
    /// the Zeek prefilter (the line-rate path) is off; without, it is on.
    /// </summary>
    public static IndicatorSet LookupSet()
    {
        var problems = new List<IndicatorProblem>();
        var indicators = IndicatorSource.Read("intel.json", Bundle(), problems).Where(i => i.Id != NeedsEngine);
        Assert.Empty(problems);
        var set = IndicatorSet.Build(indicators, Now);
        Assert.Empty(set.Engine);
        return set;
    }
}
