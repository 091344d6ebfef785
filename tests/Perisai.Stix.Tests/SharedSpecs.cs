using System.Text.Json;
using System.Text.RegularExpressions;

namespace Perisai.Stix.Tests;

/// <summary>Finds the team's shared folder (../shared beside the checkout) and the example objects of the STIX spec.</summary>
internal static partial class SharedSpecs
{
    public static string? SpecsDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Perisai.slnx")))
                {
                    string specs = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "specs");
                    return Directory.Exists(specs) ? specs : null;
                }
            }
            return null;
        }
    }

    /// <summary>Every STIX object in the JSON examples of the specification that are complete JSON (many elide with "...").</summary>
    public static IEnumerable<(string Where, string Json)> StixExamples()
    {
        string? dir = SpecsDirectory;
        if (dir is null)
        {
            yield break;
        }
        string text = File.ReadAllText(Path.Combine(dir, "stix-v2.1.md"));
        int n = 0;
        foreach (Match m in JsonBlock().Matches(text))
        {
            n++;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(m.Groups[1].Value);
            }
            catch (JsonException)
            {
                continue;
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type))
                {
                    continue;
                }
                int line = text.AsSpan(0, m.Index).Count('\n') + 1;
                if (type.GetString() == "bundle")
                {
                    int i = 0;
                    foreach (var o in root.GetProperty("objects").EnumerateArray())
                    {
                        yield return ($"stix-v2.1.md line {line} objects[{i++}]", o.GetRawText());
                    }
                }
                else
                {
                    yield return ($"stix-v2.1.md line {line}", root.GetRawText());
                }
            }
        }
    }

    [GeneratedRegex("```(?:json|JSON)\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
