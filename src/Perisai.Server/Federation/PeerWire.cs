using System.Text.Json;

namespace Perisai.Server.Federation;

/// <summary>What Perisai nodes add to TAXII 2.1 between each other (docs/federation.md).</summary>
public static class PeerWire
{
    /// <summary>
    /// The envelope's custom property (TAXII 2.1 §7.1) naming the organization that produced each object, one identity
    /// id per entry of <c>objects</c>, in order. A server that is not Perisai ignores it (§7.1: clients and servers MAY
    /// ignore custom properties they do not understand).
    /// </summary>
    public const string ProducersProperty = "x_perisai_producers";

    /// <summary>The producers an envelope claims, one per object (null where it says nothing usable).</summary>
    public static IReadOnlyList<string?> Producers(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            using var doc = JsonDocument.Parse(envelope);
            return Producers(doc.RootElement);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The producers a parsed envelope claims, one per object.</summary>
    public static IReadOnlyList<string?> Producers(JsonElement envelope) =>
        envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty(ProducersProperty, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.StartsWith("identity--", StringComparison.Ordinal) ? s : null)]
            : [];
}
