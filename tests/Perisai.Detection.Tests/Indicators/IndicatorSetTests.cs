using Perisai.Detection.Indicators;

namespace Perisai.Detection.Tests.Indicators;

public sealed class IndicatorSetTests
{
    private static readonly IndicatorSet Set = Fixtures.Set();

    private static string[] Match(IocKind kind, string value)
    {
        var hits = new List<IndicatorHit>();
        Set.Match(kind, value, hits);
        return [.. hits.Select(h => Set.Indicators[h.Indicator].Id).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("evil.com", true)]
    [InlineData("a.evil.com", true)]
    [InlineData("A.B.EVIL.COM.", true)]
    [InlineData("notevil.com", false)]
    [InlineData("evil.com.example", false)]
    [InlineData("com", false)]
    public void Match_Domain_MatchesItselfAndSubdomainsOnly(string value, bool hit) =>
        Assert.Equal(hit ? [Fixtures.EvilDomain] : [], Match(IocKind.Domain, value));

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.0.0.0", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("9.255.255.255", false)]
    [InlineData("010.1.2.3", false)]
    public void Match_Cidr_ContainsOnlyItsAddresses(string value, bool hit) =>
        Assert.Equal(hit ? [Fixtures.TenSlash8] : [], Match(IocKind.Address, value));

    [Fact]
    public void Match_InactiveIndicators_NeverMatch()
    {
        Assert.Empty(Match(IocKind.Domain, "expired.example"));
        Assert.Empty(Match(IocKind.Domain, "revoked.example"));
        Assert.Equal(2, Set.Stats.Inactive);
    }

    [Fact]
    public void Build_AllowListedValue_IsSuppressedUnlessForced()
    {
        Assert.Empty(Match(IocKind.Address, "8.8.8.8"));
        Assert.Equal([Fixtures.ForcedResolver], Match(IocKind.Address, "8.8.4.4"));
        Assert.Equal(1, Set.Stats.Suppressed);
    }

    [Fact]
    public void Build_PatternThatIsNotALookup_IsCountedForTheEngine() => Assert.Equal(1, Set.Stats.NeedEngine);

    [Theory]
    [InlineData(IocKind.Url, "HTTP://Bad.Example:80/payload.exe", Fixtures.BadUrl)]
    [InlineData(IocKind.Url, "http://bad.example/%70ayload.exe", Fixtures.BadUrl)]
    [InlineData(IocKind.FileHash, "ED01EBFBC9EB5BBEA545AF4D01BF5F1071661840480439C6E5BABE8E080E41AA", Fixtures.Hash)]
    [InlineData(IocKind.Email, "phish@EVIL.org", Fixtures.Phish)]
    [InlineData(IocKind.Address, "2001:DB8:0:0::BAD", Fixtures.V6)]
    [InlineData(IocKind.UserAgent, "EvilBot/1.0", Fixtures.Agent)]
    [InlineData(IocKind.Domain, "xn--bcher-kva.example", Fixtures.Idn)]
    [InlineData(IocKind.Domain, "www.bücher.example", Fixtures.Idn)]
    public void Match_NormalizedForms_Match(IocKind kind, string value, string indicator) =>
        Assert.Equal([indicator], Match(kind, value));

    [Theory]
    [InlineData(IocKind.Url, "http://bad.example/payload.exe?x=1")]
    [InlineData(IocKind.Url, "https://bad.example/payload.exe")]
    [InlineData(IocKind.UserAgent, "evilbot/1.0")]
    public void Match_NearMisses_DoNotMatch(IocKind kind, string value) => Assert.Empty(Match(kind, value));

    [Theory]
    [InlineData("hxxp://evil[.]com/a", IocKind.Url, "http://evil.com/a")]
    [InlineData("1.2.3[.]4", IocKind.Address, "41020304/32")]
    [InlineData("evil[dot]com", IocKind.Domain, "evil.com")]
    [InlineData("bad[@]evil.org", IocKind.Email, "bad@evil.org")]
    [InlineData("44d88612fea8a8f36de82e1278abb02f", IocKind.FileHash, "44d88612fea8a8f36de82e1278abb02f")]
    [InlineData("192.0.2.0/24", IocKind.Address, "4c0000200/24")]
    public void PlainList_DefangedValues_AreRefangedAndClassified(string line, IocKind kind, string canonical)
    {
        var problems = new List<IndicatorProblem>();
        var indicator = Assert.Single(IndicatorSource.Read("list.txt", "# comment\n\n" + line + "\n", problems));
        Assert.Empty(problems);
        Assert.Equal(new IocLookup(kind, canonical), Assert.Single(indicator.Lookups));
        Assert.Equal("list:list.txt", indicator.Id);
    }

    [Fact]
    public void PlainList_Garbage_IsReportedWithItsLine()
    {
        var problems = new List<IndicatorProblem>();
        IndicatorSource.Read("list.txt", "evil.com\nnot a value at all\n", problems);
        Assert.Equal("list.txt line 2: 'not a value at all' is not an address, domain, URL, e-mail address or hash", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Misp_Attributes_BecomeLookups()
    {
        const string Event = """{"Event":{"info":"WannaCry","Attribute":[{"uuid":"5c0f4d6e-0000-4000-8000-000000000001","type":"domain","value":"iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"},{"type":"comment","value":"x"}],"Object":[{"Attribute":[{"uuid":"5c0f4d6e-0000-4000-8000-000000000002","type":"domain|ip","value":"evil.example|203.0.113.9"}]}]}}""";
        var problems = new List<IndicatorProblem>();
        var set = IndicatorSet.Build(IndicatorSource.Read("event.json", Event, problems), Fixtures.Now);
        Assert.Empty(problems);
        var hits = new List<IndicatorHit>();
        set.Match(IocKind.Address, "203.0.113.9", hits);
        set.Match(IocKind.Domain, "www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com", hits);
        Assert.Equal(["misp-attribute:5c0f4d6e-0000-4000-8000-000000000001", "misp-attribute:5c0f4d6e-0000-4000-8000-000000000002"],
            hits.Select(h => set.Indicators[h.Indicator].Id).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["203.0.113.9/32", "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"], hits.Select(h => h.Listed).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void ReadInto_PlainList_StreamsEveryKindIntoTheTables()
    {
        const string List = "# feed\nevil.com\nMixed.Example\nbad[.]org\n10.0.0.0/8\nhxxp://x.example/a\n44d88612fea8a8f36de82e1278abb02f\n1.2.3\nwww.google.com\ngoogle.com\n";
        var builder = new IndicatorSetBuilder(Fixtures.Now);
        var problems = new List<IndicatorProblem>();
        IndicatorSource.ReadInto("feed.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(List)), builder, problems);
        var set = builder.Build();
        // "1.2.3" is neither an address nor a domain name with a known form; google.com is allow-listed.
        Assert.Equal("feed.txt line 8: '1.2.3' is not an address, domain, URL, e-mail address or hash", Assert.Single(problems).ToString());
        Assert.Equal(1, set.Stats.Suppressed);
        string[] Hit(IocKind kind, string value)
        {
            var hits = new List<IndicatorHit>();
            set.Match(kind, value, hits);
            return [.. hits.Select(h => h.Listed)];
        }
        Assert.Equal(["evil.com"], Hit(IocKind.Domain, "a.b.evil.com"));
        Assert.Equal(["mixed.example"], Hit(IocKind.Domain, "MIXED.example"));
        Assert.Equal(["bad.org"], Hit(IocKind.Domain, "bad.org"));
        Assert.Equal(["10.0.0.0/8"], Hit(IocKind.Address, "10.9.8.7"));
        Assert.Equal(["http://x.example/a"], Hit(IocKind.Url, "http://X.example/a"));
        Assert.Equal(["44d88612fea8a8f36de82e1278abb02f"], Hit(IocKind.FileHash, "44D88612FEA8A8F36DE82E1278ABB02F"));
        Assert.Equal(["www.google.com"], Hit(IocKind.Domain, "www.google.com"));
        Assert.Empty(Hit(IocKind.Domain, "mail.google.com"));
        Assert.Empty(Hit(IocKind.Domain, "notevil.com"));
        Assert.Equal("list:feed.txt", Assert.Single(set.Indicators).Id);
    }
}
