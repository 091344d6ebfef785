using System.Text.Json;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Identifiers;

public class ScoIdentifierTests
{
    [Theory]
    // The identifiers the STIX 2.1 text itself gives for these objects (§2.9, §6.4, §6.15).
    [InlineData("""{"type":"ipv4-addr","value":"198.51.100.3"}""", "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4")]
    public void Compute_MatchesTheSpecification(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(expected, ScoIdentifier.Compute(doc.RootElement));
    }

    [Fact]
    public void Compute_FileWithSeveralHashes_UsesOnlyThePreferredOne()
    {
        using var both = JsonDocument.Parse("""{"type":"file","hashes":{"SHA-256":"ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa","MD5":"84c82835a5d21bbcf75a61706d8ab549"}}""");
        using var md5 = JsonDocument.Parse("""{"type":"file","hashes":{"MD5":"84c82835a5d21bbcf75a61706d8ab549"}}""");
        Assert.Equal(ScoIdentifier.Compute(md5.RootElement), ScoIdentifier.Compute(both.RootElement));
    }

    [Fact]
    public void Compute_NoContributingProperty_IsNull()
    {
        using var doc = JsonDocument.Parse("""{"type":"process","pid":4}""");
        Assert.Null(ScoIdentifier.Compute(doc.RootElement));
    }

    [Fact]
    public void Validate_ScoWithWrongUuid5_WarnsWithTheExpectedId()
    {
        using var doc = JsonDocument.Parse("""{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}""");
        var finding = Assert.Single(StixValidator.Validate(doc.RootElement));
        Assert.Equal(ErrorCodes.ScoIdMismatch, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FillScoId_MissingId_IsFilled_PresentIdIsKept()
    {
        using var missing = JsonDocument.Parse("""{"type":"domain-name","value":"example.org"}""");
        var filled = StixNormalizer.FillScoId(missing.RootElement, () => throw new InvalidOperationException("not needed"));
        Assert.StartsWith("domain-name--", filled.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, StixId.UuidVersion(filled.GetProperty("id").GetString()!));
        using var present = JsonDocument.Parse("""{"type":"domain-name","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"example.org"}""");
        Assert.Equal("domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", StixNormalizer.FillScoId(present.RootElement, Guid.NewGuid).GetProperty("id").GetString());
    }
}

public class ScoIdentifierEdgeTests
{
    [Theory]
    [InlineData("""{"type":"file","hashes":{}}""")]
    [InlineData("""{"type":"file","hashes":{"x-custom":"abc"}}""")]
    [InlineData("""{"type":"x509-certificate","hashes":{"SHA-256":5}}""")]
    public void Compute_UnusualHashes_GivesAnIdWithoutThrowing(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.StartsWith(doc.RootElement.GetProperty("type").GetString() + "--", ScoIdentifier.Compute(doc.RootElement), StringComparison.Ordinal);
    }
}
