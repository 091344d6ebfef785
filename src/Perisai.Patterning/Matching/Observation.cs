using System.Text.Json;
using Perisai.Stix;

namespace Perisai.Patterning.Matching;

/// <summary>
/// One observed-data object (STIX 2.1 §4.13) made ready for matching: its time interval, how many observations it
/// stands for, the cyber-observable objects a pattern may start from, and the lookup its references resolve through.
/// Works on the caller's <see cref="JsonElement"/>s without copying them, so the document must outlive it.
/// </summary>
public sealed class Observation
{
    private readonly IReadOnlyDictionary<string, JsonElement> _lookup;

    private Observation(string? id, StixTimestamp first, StixTimestamp last, int count, JsonElement[] roots, string[] rootTypes, IReadOnlyDictionary<string, JsonElement> lookup)
    {
        Id = id;
        FirstObserved = first;
        LastObserved = last;
        NumberObserved = count;
        Roots = roots;
        RootTypes = rootTypes;
        _lookup = lookup;
        First = first.Instant.UtcTicks;
        Last = last.Instant.UtcTicks;
        foreach (string type in rootTypes)
        {
            TypeMask |= TypeBit(type);
        }
    }

    /// <summary>The observed-data id; null only for an object that has none (it is then invalid STIX, but matchable).</summary>
    public string? Id { get; }

    /// <summary><c>first_observed</c>.</summary>
    public StixTimestamp FirstObserved { get; }

    /// <summary><c>last_observed</c>.</summary>
    public StixTimestamp LastObserved { get; }

    /// <summary><c>number_observed</c>: how many observations this object stands for (§4.13), each usable once in a match.</summary>
    public int NumberObserved { get; }

    /// <summary>The cyber-observable objects an object path may start from, in document order.</summary>
    public IReadOnlyList<JsonElement> Roots { get; }

    internal string[] RootTypes { get; }

    internal long First { get; }

    internal long Last { get; }

    /// <summary>One bit per type name (hashed into 64): a pattern whose types share no bit cannot match.</summary>
    internal ulong TypeMask { get; }

    internal static ulong TypeBit(string type) => 1UL << (int)((uint)StringComparer.Ordinal.GetHashCode(type) % 64);

    internal bool TryResolve(string reference, out JsonElement target) => _lookup.TryGetValue(reference, out target);

    /// <summary>
    /// Reads one observed-data object. Its SCOs come from <c>objects</c> (the STIX 2.0 form, keys as references) or
    /// from <c>object_refs</c> looked up in <paramref name="bundle"/> (STIX 2.1). Only objects it lists may be followed
    /// by a reference (§9.7.4). False with a reason when the object is not observed-data or lacks what matching needs.
    /// </summary>
    public static bool TryRead(JsonElement observedData, IReadOnlyDictionary<string, JsonElement>? bundle, out Observation? observation, out string? problem)
    {
        observation = null;
        if (observedData.ValueKind != JsonValueKind.Object)
        {
            problem = PatternMessages.NotAnObject;
            return false;
        }
        if (!observedData.TryGetProperty("type", out var type) || !type.ValueEquals("observed-data"))
        {
            problem = PatternMessages.NotObservedData;
            return false;
        }
        string? id = observedData.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (!Timestamp(observedData, "first_observed", out var first, out problem) || !Timestamp(observedData, "last_observed", out var last, out problem))
        {
            return false;
        }
        if (last < first)
        {
            problem = PatternMessages.LastBeforeFirst;
            return false;
        }
        // §4.13: number_observed is an integer from 1 to 999,999,999.
        if (!observedData.TryGetProperty("number_observed", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out int count) || count is < 1 or > 999_999_999)
        {
            problem = PatternMessages.BadNumberObserved;
            return false;
        }
        var roots = new List<JsonElement>();
        var lookup = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? warning = null;
        bool hasObjects = observedData.TryGetProperty("objects", out var objects);
        bool hasRefs = observedData.TryGetProperty("object_refs", out var refs) && refs.ValueKind == JsonValueKind.Array;
        if (hasObjects && hasRefs)
        {
            // §4.14: objects (deprecated) and object_refs are mutually exclusive. An empty objects beside object_refs says
            // nothing: the observation is read from object_refs rather than taken for one of no objects.
            bool empty = objects.ValueKind == JsonValueKind.Object && !objects.EnumerateObject().Any();
            warning = PatternMessages.ObjectsAndRefs(empty);
            hasObjects = !empty;
        }
        if (hasObjects)
        {
            if (objects.ValueKind != JsonValueKind.Object)
            {
                problem = PatternMessages.ObjectsNotDictionary;
                return false;
            }
            foreach (var property in objects.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    roots.Add(property.Value);
                    lookup[property.Name] = property.Value;
                }
            }
        }
        else if (hasRefs)
        {
            foreach (var reference in refs.EnumerateArray())
            {
                if (reference.ValueKind == JsonValueKind.String && bundle is not null && bundle.TryGetValue(reference.GetString()!, out var sco) && sco.ValueKind == JsonValueKind.Object)
                {
                    roots.Add(sco);
                    lookup[reference.GetString()!] = sco;
                }
            }
        }
        else
        {
            problem = PatternMessages.NoObjects;
            return false;
        }
        var types = new string[roots.Count];
        for (int i = 0; i < roots.Count; i++)
        {
            types[i] = roots[i].TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        }
        observation = new Observation(id, first!.Value, last!.Value, count, [.. roots], types, lookup) { Warning = warning };
        problem = null;
        return true;
    }

    private static bool Timestamp(JsonElement o, string name, out StixTimestamp? value, out string? problem)
    {
        value = null;
        problem = null;
        if (o.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && StixTimestamp.TryParse(e.GetString(), out value))
        {
            return true;
        }
        problem = PatternMessages.BadTimestamp(name);
        return false;
    }

    /// <summary>What in the observed-data breaks the standard without stopping the match (null when nothing does).</summary>
    public string? Warning { get; init; }

    /// <inheritdoc />
    public override string ToString() => Id ?? $"observed-data {FirstObserved}";
}

/// <summary>A document that could not be read as observations, or one object in it that could not.</summary>
/// <param name="Path">JSON path of the object at fault (<c>$</c> for the document).</param>
/// <param name="Message">What was wrong.</param>
public sealed record ObservationError(string Path, string Message);

/// <summary>
/// Reads what <c>perisai pattern match --observed</c> accepts: one observed-data object, a JSON array of them, a STIX
/// bundle or a TAXII envelope (whose other objects are the SCOs that <c>object_refs</c> point to), or a JSON array of
/// bundles (the OASIS matcher's input for 2.1), each bundle's references resolved within it.
/// </summary>
public static class ObservationReader
{
    /// <summary>Every observed-data in <paramref name="document"/>, and an error for each one that could not be read.</summary>
    public static IReadOnlyList<Observation> Read(JsonElement document, out IReadOnlyList<ObservationError> errors)
    {
        var list = new List<Observation>();
        var problems = new List<ObservationError>();
        errors = problems;
        IEnumerable<(JsonElement Element, string Path)> items;
        if (document.ValueKind == JsonValueKind.Array && document.GetArrayLength() > 0 && document.EnumerateArray().All(IsBundle))
        {
            int b = 0;
            foreach (var bundle in document.EnumerateArray())
            {
                string prefix = $"$[{b++}]";
                list.AddRange(Read(bundle, out var inner));
                problems.AddRange(inner.Select(e => e with { Path = prefix + e.Path[1..] }));
            }
            return list;
        }
        if (document.ValueKind == JsonValueKind.Array)
        {
            items = document.EnumerateArray().Select((e, i) => (e, $"$[{i}]"));
        }
        else if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("objects", out var objects) && objects.ValueKind == JsonValueKind.Array
            && !(document.TryGetProperty("type", out var t) && t.ValueEquals("observed-data")))
        {
            items = objects.EnumerateArray().Select((e, i) => (e, $"$.objects[{i}]"));
        }
        else if (document.ValueKind == JsonValueKind.Object)
        {
            items = [(document, "$")];
        }
        else
        {
            problems.Add(new ObservationError("$", PatternMessages.WrongDocument));
            return list;
        }
        var all = items.ToList();
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (element, _) in all)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                byId[id.GetString()!] = element;
            }
        }
        foreach (var (element, path) in all)
        {
            bool isObservedData = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueEquals("observed-data");
            if (!isObservedData && all.Count > 1)
            {
                continue; // an SCO or another object of the bundle, reachable through object_refs
            }
            if (Observation.TryRead(element, byId, out var observation, out string? problem))
            {
                list.Add(observation!);
            }
            else
            {
                problems.Add(new ObservationError(path, problem!));
            }
        }
        if (list.Count == 0 && problems.Count == 0)
        {
            problems.Add(new ObservationError("$", PatternMessages.NoObservedData));
        }
        return list;
    }

    private static bool IsBundle(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueEquals("bundle") && e.TryGetProperty("objects", out var o) && o.ValueKind == JsonValueKind.Array;
}
