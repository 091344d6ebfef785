namespace Perisai.Stix.Validation;

/// <summary>
/// The hives a <c>windows-registry-key</c>'s <c>key</c> may start with (STIX 2.1 §6.17: "the full registry key
/// including the hive"), and the abbreviations tools write instead (HKLM for HKEY_LOCAL_MACHINE, and so on).
/// </summary>
public static class RegistryHives
{
    /// <summary>The hives in full, as the OASIS validator lists them.</summary>
    public static readonly IReadOnlyList<string> Full =
    [
        "HKEY_CLASSES_ROOT", "HKEY_CURRENT_CONFIG", "HKEY_CURRENT_USER", "HKEY_LOCAL_MACHINE", "HKEY_PERFORMANCE_DATA",
        "HKEY_PERFORMANCE_NLSTEXT", "HKEY_PERFORMANCE_TEXT", "HKEY_USERS",
    ];

    private static readonly (string Short, string Full)[] Abbreviations =
    [
        ("HKLM", "HKEY_LOCAL_MACHINE"), ("HKCU", "HKEY_CURRENT_USER"), ("HKCR", "HKEY_CLASSES_ROOT"), ("HKU", "HKEY_USERS"), ("HKCC", "HKEY_CURRENT_CONFIG"),
    ];

    /// <summary>
    /// Whether the key starts with a hive in full, in upper or in lower case (as the OASIS validator's schema reads it),
    /// followed by the end or a backslash.
    /// </summary>
    public static bool StartsWithHive(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string hive = Hive(key);
        // Exactly one of the two spellings: the hive is all capitals or has none (a mixed "Hkey_Local_Machine" is neither).
        return Full.Any(h => h.Equals(hive, StringComparison.OrdinalIgnoreCase)) && (!hive.Any(char.IsAsciiLetterLower) || !hive.Any(char.IsAsciiLetterUpper));
    }

    /// <summary>
    /// The key with an abbreviated hive written in full (<c>HKCU\Software</c> to <c>HKEY_CURRENT_USER\Software</c>,
    /// case-insensitively); the key unchanged when its hive is not an abbreviation.
    /// </summary>
    public static string Expand(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string hive = Hive(key);
        foreach (var (abbreviation, full) in Abbreviations)
        {
            if (abbreviation.Equals(hive, StringComparison.OrdinalIgnoreCase))
            {
                return full + key[hive.Length..];
            }
        }
        return key;
    }

    private static string Hive(string key) => key.IndexOf('\\', StringComparison.Ordinal) is var i and >= 0 ? key[..i] : key;
}
