using System.Text.Json;

namespace Perisai.Stix;

/// <summary>
/// One version of a STIX object as the store keeps it: the properties every read path filters on, and the object's
/// JSON exactly as received (custom properties, extensions and unknown types survive untouched).
/// </summary>
public sealed record StixObject
{
    /// <summary>The <c>id</c> property.</summary>
    public required string Id { get; init; }

    /// <summary>The <c>type</c> property.</summary>
    public required string Type { get; init; }

    /// <summary>The <c>spec_version</c> property; "2.1" where absent on an SCO (§3.2).</summary>
    public required string SpecVersion { get; init; }

    /// <summary>
    /// The object's version (TAXII 2.1 §3.4.1): <c>modified</c>, else <c>created</c>, else null for objects that
    /// carry no version of their own (SCOs), to which the store gives a consistent one.
    /// </summary>
    public StixTimestamp? Version { get; init; }

    /// <summary>The <c>revoked</c> property (§3.6).</summary>
    public bool Revoked { get; init; }

    /// <summary>The <c>object_marking_refs</c> property, empty when absent.</summary>
    public IReadOnlyList<string> MarkingRefs { get; init; } = [];

    /// <summary>The object's JSON, compact, as received.</summary>
    public required string Json { get; init; }

    /// <summary>
    /// Reads the envelope properties of an object that has already passed validation.
    /// </summary>
    public static StixObject FromJson(JsonElement obj)
    {
        string? modified = Str(obj, "modified") ?? Str(obj, "created");
        List<string> markings = [];
        if (obj.TryGetProperty("object_marking_refs", out var m) && m.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in m.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String)
                {
                    markings.Add(r.GetString()!);
                }
            }
        }
        return new StixObject
        {
            Id = Str(obj, "id") ?? throw new ArgumentException("The object has no id.", nameof(obj)),
            Type = Str(obj, "type") ?? throw new ArgumentException("The object has no type.", nameof(obj)),
            SpecVersion = Str(obj, "spec_version") ?? "2.1",
            Version = modified is not null && StixTimestamp.TryParse(modified, out var ts) ? ts : null,
            Revoked = obj.TryGetProperty("revoked", out var rv) && rv.ValueKind == JsonValueKind.True,
            MarkingRefs = markings,
            Json = obj.GetRawText(),
        };
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
