using System.Text.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Json;

/// <summary>What a document holds: a STIX bundle (§8), a TAXII envelope (TAXII 2.1 §3.7) or a single object.</summary>
public enum ContainerKind
{
    /// <summary>A STIX bundle: <c>{"type":"bundle","id":...,"objects":[...]}</c>.</summary>
    Bundle,

    /// <summary>A TAXII envelope: <c>{"objects":[...]}</c>, optionally with <c>more</c> and <c>next</c>.</summary>
    Envelope,

    /// <summary>One STIX object.</summary>
    SingleObject,
}

/// <summary>A parsed document and the objects it carries, or the one structural error that stopped it.</summary>
public sealed class ParsedDocument : IDisposable
{
    internal ParsedDocument(JsonDocument? document, ContainerKind kind, IReadOnlyList<JsonElement> objects, StixError? error)
    {
        Document = document;
        Kind = kind;
        Objects = objects;
        Error = error;
    }

    /// <summary>The underlying JSON document; null when parsing failed.</summary>
    public JsonDocument? Document { get; }

    /// <summary>What the top level was.</summary>
    public ContainerKind Kind { get; }

    /// <summary>The objects, in document order.</summary>
    public IReadOnlyList<JsonElement> Objects { get; }

    /// <summary>The structural error (not JSON, too deep, wrong top level), or null.</summary>
    public StixError? Error { get; }

    /// <summary>JSON path prefix of object <paramref name="index"/>.</summary>
    public string PathOf(int index) => Kind == ContainerKind.SingleObject ? "$" : $"$.objects[{index}]";

    /// <inheritdoc />
    public void Dispose() => Document?.Dispose();
}

/// <summary>
/// Reads STIX documents defensively: one clear error for input that is not JSON, nests beyond
/// <see cref="MaxDepth"/> or has the wrong top-level shape, never an exception.
/// </summary>
public static class StixDocument
{
    /// <summary>
    /// Deepest nesting accepted. STIX objects nest a handful of levels (extensions, MIME parts); 64 leaves ample room
    /// while bounding the parser's work on hostile input.
    /// </summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses UTF-8 JSON and finds its objects. <paramref name="accept"/> says which containers are allowed.</summary>
    public static ParsedDocument Parse(ReadOnlyMemory<byte> utf8, params ContainerKind[] accept)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException ex)
        {
            bool tooDeep = ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);
            string where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            var error = tooDeep
                ? new StixError(ErrorCodes.TooDeep, "$", ErrorCodes.Depth(MaxDepth) + where)
                : new StixError(ErrorCodes.MalformedJson, "$", ErrorCodes.Malformed(FirstSentence(ex.Message) + where));
            return new ParsedDocument(null, ContainerKind.SingleObject, [], error);
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(doc, ErrorCodes.JsonType("a JSON object", StixValidator.Describe(root.ValueKind)));
        }
        ContainerKind kind = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? (t.GetString() == "bundle" ? ContainerKind.Bundle : ContainerKind.SingleObject)
            : ContainerKind.Envelope;
        if (accept.Length > 0 && !accept.Contains(kind))
        {
            return Fail(doc, ErrorCodes.TopLevel(string.Join(" or ", accept.Select(Name))));
        }
        if (kind == ContainerKind.SingleObject)
        {
            return new ParsedDocument(doc, kind, [root], null);
        }
        if (!root.TryGetProperty("objects", out var objects))
        {
            return new ParsedDocument(doc, kind, [], null);
        }
        if (objects.ValueKind != JsonValueKind.Array)
        {
            return new ParsedDocument(doc, kind, [], new StixError(ErrorCodes.WrongJsonType, "$.objects",
                ErrorCodes.JsonType("a list", StixValidator.Describe(objects.ValueKind))));
        }
        return new ParsedDocument(doc, kind, [.. objects.EnumerateArray()], null);
    }

    /// <summary>
    /// Validates the bundle wrapper itself (§8: type "bundle", a bundle id, no spec_version in 2.1, a list of objects).
    /// </summary>
    public static IReadOnlyList<StixError> ValidateBundle(JsonElement bundle)
    {
        var errors = new List<StixError>();
        if (!bundle.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            errors.Add(new StixError(ErrorCodes.RequiredProperty, "$.id", ErrorCodes.Required("id")));
        }
        else if (!StixId.TryParse(id.GetString(), out string? type, out _) || type != "bundle")
        {
            errors.Add(new StixError(ErrorCodes.InvalidIdentifier, "$.id", ErrorCodes.Identifier(id.GetString()!)));
        }
        return errors;
    }

    private static ParsedDocument Fail(JsonDocument doc, string message)
    {
        doc.Dispose();
        return new ParsedDocument(null, ContainerKind.SingleObject, [], new StixError(ErrorCodes.WrongTopLevel, "$", message));
    }

    private static string Name(ContainerKind k) => k switch
    {
        ContainerKind.Bundle => "a STIX bundle",
        ContainerKind.Envelope => "a TAXII envelope",
        _ => "a STIX object",
    };

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
