using System.Text.Json;
using Perisai.Cli.Demo;
using Perisai.Stix.Markings;
using Perisai.Stix.Validation;

namespace Perisai.Cli.Tests;

public sealed class DemoDataTests
{
    [Fact]
    public void Intelligence_IsValidStix_WithEveryReferenceResolved()
    {
        var objects = DemoData.Intelligence(TlpMarkings.Clear);
        var ids = objects.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(objects.Count, ids.Count);
        foreach (var o in objects)
        {
            using var doc = JsonDocument.Parse(o.Json);
            var findings = StixValidator.Validate(doc.RootElement);
            Assert.True(findings.Count == 0, $"{o.Id}: {string.Join("; ", findings)}");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                IEnumerable<string> refs = p.Name.EndsWith("_ref", StringComparison.Ordinal) ? [p.Value.GetString()!]
                    : p.Name.EndsWith("_refs", StringComparison.Ordinal) ? p.Value.EnumerateArray().Select(v => v.GetString()!) : [];
                foreach (string r in refs)
                {
                    Assert.True(ids.Contains(r), $"{o.Id}.{p.Name} refers to {r}, which the demo does not contain");
                }
            }
        }
        Assert.Contains(objects, o => o.Type == "malware" && o.Json.Contains("\"NotPetya\"", StringComparison.Ordinal));
        Assert.Equal(11, objects.Count(o => o.Type == "indicator"));
    }
}
