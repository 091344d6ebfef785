using System.Text.Json;
using Perisai.Stix.Markings;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Sharing;

/// <summary>How an object's visibility depends on the objects it refers to.</summary>
public enum RefRule
{
    /// <summary>It stands alone.</summary>
    None,

    /// <summary>Visible only when every object it refers to is (relationship, sighting, note, opinion).</summary>
    All,

    /// <summary>Lists only the refs the reader may see, and is hidden when none is left (report, grouping).</summary>
    Any,
}

/// <summary>
/// What the sharing policy needs to know about one stored version of an object. Everything here is read from the
/// object itself except the collection and the producer (the organization that wrote it to the node: never taken
/// from <c>created_by_ref</c>, which anyone can claim).
/// </summary>
/// <param name="Id">STIX id.</param>
/// <param name="CollectionId">The collection holding this version.</param>
/// <param name="Producer">The organization that wrote it.</param>
/// <param name="Marked">Strictest TLP of <c>object_marking_refs</c>; <see cref="TlpLevel.None"/> when it has none.</param>
/// <param name="Floor">Strictest TLP of granular markings on its required properties (without them it cannot be shown).</param>
/// <param name="Recipients">Organizations the producer named (<c>x_perisai_recipients</c>), for AMBER, AMBER+STRICT and RED.</param>
/// <param name="RefRule">How its refs govern its visibility.</param>
/// <param name="Refs">The ids it refers to, under <paramref name="RefRule"/>.</param>
public sealed record SharedObject(
    string Id, string CollectionId, string Producer, TlpLevel Marked, TlpLevel Floor,
    IReadOnlyList<string> Recipients, RefRule RefRule, IReadOnlyList<string> Refs)
{
    /// <summary>The custom property naming an object's recipient organizations by their identity ids.</summary>
    public const string RecipientsProperty = "x_perisai_recipients";

    /// <summary>Reads the facts of a validated object written by <paramref name="producer"/> into a collection.</summary>
    public static SharedObject Of(StixObject obj, string collectionId, string producer) => Of(obj, collectionId, producer, out _);

    /// <summary>
    /// Reads the facts, and the TLP of each optional top-level property that a granular marking covers (STIX 2.1
    /// §7.2.3), strictest per property. Required properties are not listed: their marking raised <see cref="Floor"/>.
    /// </summary>
    public static SharedObject Of(StixObject obj, string collectionId, string producer, out IReadOnlyDictionary<string, TlpLevel> optionalGranular)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var rule = RuleOf(obj.Type);
        var facts = Facts.Read(obj, rule);
        optionalGranular = facts.Optional;
        return new SharedObject(obj.Id, collectionId, producer, TlpMarkings.Strictest(obj.MarkingRefs), facts.Floor, facts.Recipients, rule, facts.Refs);
    }

    /// <summary>The ref rule of a type (STIX 2.1 §5 relationship and sighting, §4.13 note, §4.15 opinion; §4.16 report, §4.4 grouping).</summary>
    public static RefRule RuleOf(string type) => type switch
    {
        "relationship" or "sighting" or "note" or "opinion" => RefRule.All,
        "report" or "grouping" => RefRule.Any,
        _ => RefRule.None,
    };

    private sealed record Facts(TlpLevel Floor, IReadOnlyList<string> Recipients, IReadOnlyList<string> Refs, IReadOnlyDictionary<string, TlpLevel> Optional)
    {
        private static readonly Facts Empty = new(TlpLevel.None, [], [], new Dictionary<string, TlpLevel>());

        public static Facts Read(StixObject obj, RefRule rule)
        {
            string json = obj.Json;
            // Most objects carry none of these: skip the parse.
            if (rule == RefRule.None && !json.Contains("granular_markings", StringComparison.Ordinal) && !json.Contains(RecipientsProperty, StringComparison.Ordinal))
            {
                return Empty;
            }
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var refs = new List<string>();
            if (rule != RefRule.None)
            {
                foreach (string p in RefProperties(obj.Type))
                {
                    if (root.TryGetProperty(p, out var v))
                    {
                        if (v.ValueKind == JsonValueKind.String)
                        {
                            refs.Add(v.GetString()!);
                        }
                        else if (v.ValueKind == JsonValueKind.Array)
                        {
                            refs.AddRange(v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                        }
                    }
                }
            }
            var recipients = new List<string>();
            if (root.TryGetProperty(RecipientsProperty, out var rv) && rv.ValueKind == JsonValueKind.Array)
            {
                recipients.AddRange(rv.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Distinct(StringComparer.Ordinal));
            }
            var floor = TlpLevel.None;
            var optional = new Dictionary<string, TlpLevel>(StringComparer.Ordinal);
            if (root.TryGetProperty("granular_markings", out var gm) && gm.ValueKind == JsonValueKind.Array)
            {
                var spec = TypeCatalog.Find(obj.Type);
                foreach (var g in gm.EnumerateArray())
                {
                    if (g.ValueKind != JsonValueKind.Object || !g.TryGetProperty("marking_ref", out var mr) || mr.ValueKind != JsonValueKind.String
                        || TlpMarkings.LevelOf(mr.GetString()!) is var level && level == TlpLevel.None
                        || !g.TryGetProperty("selectors", out var sel) || sel.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }
                    foreach (var s in sel.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String))
                    {
                        // §7.2.3.1: a selector is a path into the object; the policy acts on its first (top-level)
                        // property, so withholding a marked part withholds the whole property that contains it.
                        string top = s.GetString()!.Split('.')[0];
                        bool required = top is "id" or "type" or "spec_version" or "created" or "modified"
                            || (spec is not null && spec.Properties.TryGetValue(top, out var ps) && ps.Required)
                            || (rule != RefRule.None && RefProperties(obj.Type).Contains(top));
                        if (required)
                        {
                            floor = level > floor ? level : floor;
                        }
                        else if (!optional.TryGetValue(top, out var had) || level > had)
                        {
                            optional[top] = level;
                        }
                    }
                }
            }
            return new Facts(floor, recipients, refs, optional);
        }
    }

    /// <summary>The properties whose ids govern a dependent object's visibility.</summary>
    public static IReadOnlyList<string> RefProperties(string type) => type switch
    {
        "relationship" => ["source_ref", "target_ref"],
        "sighting" => ["sighting_of_ref", "observed_data_refs", "where_sighted_refs"],
        "note" or "opinion" or "report" or "grouping" => ["object_refs"],
        _ => [],
    };
}
