using System.Collections.Frozen;

namespace Perisai.Stix.Markings;

/// <summary>The Traffic Light Protocol levels a node understands (FIRST TLP 2.0; TLP 1.0 WHITE maps to CLEAR).</summary>
public enum TlpLevel
{
    /// <summary>No marking: the node treats it by its configured default.</summary>
    None,

    /// <summary>TLP:CLEAR (TLP 1.0 WHITE).</summary>
    Clear,

    /// <summary>TLP:GREEN.</summary>
    Green,

    /// <summary>TLP:AMBER.</summary>
    Amber,

    /// <summary>TLP:AMBER+STRICT (TLP 2.0 only).</summary>
    AmberStrict,

    /// <summary>TLP:RED.</summary>
    Red,
}

/// <summary>
/// The nine predefined TLP marking-definition ids: TLP 1.0 from STIX 2.1 §7.2.1.4 and TLP 2.0 from the
/// extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d markings (oasis-open/cti-stix-common-objects).
/// </summary>
public static class TlpMarkings
{
    /// <summary>TLP 1.0 WHITE.</summary>
    public const string Tlp1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";

    /// <summary>TLP 1.0 GREEN.</summary>
    public const string Tlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";

    /// <summary>TLP 1.0 AMBER.</summary>
    public const string Tlp1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";

    /// <summary>TLP 1.0 RED.</summary>
    public const string Tlp1Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    /// <summary>TLP 2.0 CLEAR.</summary>
    public const string Clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";

    /// <summary>TLP 2.0 GREEN.</summary>
    public const string Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";

    /// <summary>TLP 2.0 AMBER.</summary>
    public const string Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

    /// <summary>TLP 2.0 AMBER+STRICT.</summary>
    public const string AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";

    /// <summary>TLP 2.0 RED.</summary>
    public const string Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    /// <summary>The TLP 2.0 extension definition id.</summary>
    public const string Tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    private static readonly FrozenDictionary<string, TlpLevel> Levels = new Dictionary<string, TlpLevel>(StringComparer.Ordinal)
    {
        [Tlp1White] = TlpLevel.Clear, [Tlp1Green] = TlpLevel.Green, [Tlp1Amber] = TlpLevel.Amber, [Tlp1Red] = TlpLevel.Red,
        [Clear] = TlpLevel.Clear, [Green] = TlpLevel.Green, [Amber] = TlpLevel.Amber, [AmberStrict] = TlpLevel.AmberStrict, [Red] = TlpLevel.Red,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The <c>definition.tlp</c> value of each TLP 1.0 marking (STIX 2.1 §7.2.1.4).</summary>
    public static readonly FrozenDictionary<string, string> Tlp1Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Tlp1White] = "white", [Tlp1Green] = "green", [Tlp1Amber] = "amber", [Tlp1Red] = "red",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The <c>tlp_2_0</c> value of each TLP 2.0 marking (the TLP 2.0 extension definition).</summary>
    public static readonly FrozenDictionary<string, string> Tlp2Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Clear] = "clear", [Green] = "green", [Amber] = "amber", [AmberStrict] = "amber+strict", [Red] = "red",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The TLP level of one marking id, or <see cref="TlpLevel.None"/> when it is not a TLP marking.</summary>
    public static TlpLevel LevelOf(string markingId) => Levels.GetValueOrDefault(markingId);

    /// <summary>The most restrictive TLP level among an object's markings.</summary>
    public static TlpLevel Strictest(IEnumerable<string> markingRefs)
    {
        var level = TlpLevel.None;
        foreach (string id in markingRefs)
        {
            var l = LevelOf(id);
            if (l > level)
            {
                level = l;
            }
        }
        return level;
    }

    /// <summary>The TLP 2.0 name of a level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; NONE for no level).</summary>
    public static string NameOf(TlpLevel level) => level switch
    {
        TlpLevel.Clear => "CLEAR",
        TlpLevel.Green => "GREEN",
        TlpLevel.Amber => "AMBER",
        TlpLevel.AmberStrict => "AMBER+STRICT",
        TlpLevel.Red => "RED",
        _ => "NONE",
    };

    /// <summary>A level from its name (clear or TLP 1.0 white, green, amber, amber+strict, red), case-insensitive.</summary>
    public static bool TryParseName(string name, out TlpLevel level)
    {
        ArgumentNullException.ThrowIfNull(name);
        level = name.ToUpperInvariant() switch
        {
            "CLEAR" or "WHITE" => TlpLevel.Clear,
            "GREEN" => TlpLevel.Green,
            "AMBER" => TlpLevel.Amber,
            "AMBER+STRICT" => TlpLevel.AmberStrict,
            "RED" => TlpLevel.Red,
            _ => TlpLevel.None,
        };
        return level != TlpLevel.None;
    }

    /// <summary>The TLP 2.0 marking-definition objects, as STIX JSON, for a node to serve alongside marked content.</summary>
    public static IEnumerable<string> Tlp2Definitions()
    {
        foreach (var (id, name) in new[] { (Clear, "clear"), (Green, "green"), (Amber, "amber"), (AmberStrict, "amber+strict"), (Red, "red") })
        {
            yield return "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"" + id
                + "\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:" + name.ToUpperInvariant()
                + "\",\"extensions\":{\"" + Tlp2Extension + "\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"" + name + "\"}}}";
        }
    }
}
