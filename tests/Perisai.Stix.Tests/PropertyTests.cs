using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Perisai.Stix.Identifiers;

namespace Perisai.Stix.Tests;

/// <summary>Properties that must hold for every input, checked on generated ones (FsCheck).</summary>
public class PropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static Arbitrary<DateTimeOffset> Instants() =>
        Arb.From(Gen.Choose(0, int.MaxValue).Select(s => DateTimeOffset.UnixEpoch.AddSeconds(s).AddTicks(s % 10_000_000)));

    [Fact]
    public void Check_FalseProperty_Throws()
    {
        // Guards the harness itself: a property that does not hold must fail the test.
        Assert.ThrowsAny<Exception>(() => Prop.ForAll(Instants(), _ => false).Check(Config));
    }

    [Fact]
    public void Timestamp_FormatThenParse_KeepsTheInstantToTheDigitsWritten()
    {
        Prop.ForAll(Instants(), instant =>
        {
            foreach (int digits in (int[])[0, 3, 6])
            {
                string text = StixTimestamp.Format(instant, digits);
                var parsed = StixTimestamp.Parse(text);
                long unit = digits switch { 0 => TimeSpan.TicksPerSecond, 3 => TimeSpan.TicksPerMillisecond, _ => 10 };
                if (parsed.Text != text || parsed.Instant.Ticks != instant.UtcTicks / unit * unit)
                {
                    return false;
                }
            }
            return true;
        }).Check(Config);
    }

    [Fact]
    public void Timestamp_KeyOrder_IsInstantOrder()
    {
        Prop.ForAll(Instants(), Instants(), (a, b) =>
        {
            var x = StixTimestamp.Parse(StixTimestamp.Format(a, 6));
            var y = StixTimestamp.Parse(StixTimestamp.Format(b, 6));
            return Math.Sign(string.CompareOrdinal(x.Key, y.Key)) == Math.Sign(x.Instant.CompareTo(y.Instant));
        }).Check(Config);
    }

    [Fact]
    public void Canonicalize_MemberOrder_DoesNotChangeTheOutput()
    {
        var members = Gen.Elements("value", "name", "x_a", "b", "hashes", "zeta", "Alpha", "é", "number")
            .SelectMany(k => Gen.Choose(-1000, 1000).Select(v => (k, v))).ListOf();
        Prop.ForAll(Arb.From(members), list =>
        {
            var distinct = list.DistinctBy(m => m.k).ToList();
            var forward = new JsonObject();
            var backward = new JsonObject();
            foreach (var (k, v) in distinct)
            {
                forward[k] = v;
            }
            foreach (var (k, v) in Enumerable.Reverse(distinct))
            {
                backward[k] = v;
            }
            byte[] a = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToElement(forward));
            byte[] b = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToElement(backward));
            return a.AsSpan().SequenceEqual(b);
        }).Check(Config);
    }

    [Fact]
    public void ScoId_IsDeterministic_AndOnlyDependsOnContributingProperties()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 255).Four()), octets =>
        {
            string ip = $"{octets.Item1}.{octets.Item2}.{octets.Item3}.{octets.Item4}";
            using var plain = JsonDocument.Parse($$"""{"type":"ipv4-addr","value":"{{ip}}"}""");
            using var decorated = JsonDocument.Parse($$"""{"defanged":false,"type":"ipv4-addr","spec_version":"2.1","value":"{{ip}}","x_note":"seen"}""");
            string? id = ScoIdentifier.Compute(plain.RootElement);
            return id is not null && id == ScoIdentifier.Compute(decorated.RootElement) && StixId.UuidVersion(id) == 5;
        }).Check(Config);
    }
}

public class ParserRobustnessTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(5000);

    // Strings near the grammar: digits, separators and letters in timestamp and identifier positions.
    private static Arbitrary<string> NearMisses() => Arb.From(
        Gen.Elements('0', '1', '2', '9', '-', ':', 'T', 'Z', '.', 'a', 'f', 'g', ' ', '\u00e9', '\0')
            .ArrayOf().Select(chars => new string(chars)));

    [Fact]
    public void TimestampAndIdParsers_AnyString_AnswerWithoutThrowing()
    {
        Prop.ForAll(NearMisses(), s =>
        {
            _ = StixTimestamp.TryParse(s, out _);
            _ = StixTimestamp.TryParse("2016-01-20T12:31:" + s, out _);
            _ = StixId.TryParse(s, out _, out _);
            _ = StixId.TryParse("indicator--" + s, out _, out _);
            return true;
        }).Check(Config);
    }
}

public class DocumentRobustnessTests
{
    [Fact]
    public void Parse_AnyBytes_IsADocumentOrOneError()
    {
        // Bytes drawn from JSON punctuation, quotes, escapes and invalid UTF-8 lead bytes.
        var bytes = Gen.Elements<byte>((byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)':', (byte)',', (byte)'\\', (byte)'u',
            (byte)'1', (byte)'e', (byte)'-', (byte)'t', (byte)'n', (byte)' ', 0xC3, 0xA9, 0xFF, 0xC0, 0x80, 0xED, 0xA0).ArrayOf();
        Prop.ForAll(Arb.From(bytes), b =>
        {
            using var doc = Perisai.Stix.Json.StixDocument.Parse(b);
            return doc.Error is not null || doc.Document is not null;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }
}
