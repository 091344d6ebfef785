using System.Text.Json;
using System.Text.RegularExpressions;

namespace Perisai.Storage;

/// <summary>
/// The values an object holds, for search by value: the quoted string literals of an indicator's pattern (STIX 2.1
/// §9.4: single quotes, with \' and \\ escaped), and an observable's <c>value</c>, <c>name</c> and <c>hashes</c>. A
/// lexical reading, not the pattern's meaning: an extra value costs a row, never a wrong answer, since a search shows
/// the objects it finds for the person to read.
/// </summary>
public static partial class ObjectValues
{
    /// <summary>Longer values are not indexed (an index entry has a size limit; nobody searches by a 1 kB string).</summary>
    public const int MaxLength = 512;

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    /// <summary>The distinct values of an object's JSON, in lower case.</summary>
    public static IReadOnlyList<string> Of(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var values = new HashSet<string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        void Add(string? v)
        {
            if (!string.IsNullOrEmpty(v) && v.Length <= MaxLength)
            {
                values.Add(v.ToLowerInvariant());
            }
        }
        if (root.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String
            && (!root.TryGetProperty("pattern_type", out var type) || type.GetString() == "stix"))
        {
            foreach (Match m in Literal().Matches(pattern.GetString()!))
            {
                Add(m.Groups[1].Value.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
            }
        }
        // An observable's value and name (file, mutex, process…); an SDO's name is text, found by the text search, and
        // indexing it too would double the rows of a million-indicator import for nothing.
        bool observable = !root.TryGetProperty("created", out _);
        foreach (string name in observable ? ["value", "name"] : Array.Empty<string>())
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            {
                Add(v.GetString());
            }
        }
        if (root.TryGetProperty("hashes", out var hashes) && hashes.ValueKind == JsonValueKind.Object)
        {
            foreach (var h in hashes.EnumerateObject())
            {
                if (h.Value.ValueKind == JsonValueKind.String)
                {
                    Add(h.Value.GetString());
                }
            }
        }
        return [.. values];
    }
}
