using System.Diagnostics.CodeAnalysis;

namespace Perisai.Stix;

/// <summary>A STIX identifier <c>object-type--UUID</c> (STIX 2.1 §2.9).</summary>
public static class StixId
{
    /// <summary>
    /// Splits an identifier into its type and UUID. The UUID must be RFC 4122 (variant bits 10xx) in the
    /// canonical lowercase 8-4-4-4-12 form; the type must be a valid type name (§3.1).
    /// </summary>
    public static bool TryParse(string? id, [NotNullWhen(true)] out string? type, out Guid uuid)
    {
        type = null;
        uuid = Guid.Empty;
        if (id is null)
        {
            return false;
        }
        int sep = id.IndexOf("--", StringComparison.Ordinal);
        if (sep <= 0 || id.Length - sep - 2 != 36)
        {
            return false;
        }
        string t = id[..sep];
        ReadOnlySpan<char> u = id.AsSpan(sep + 2);
        if (!StixTypeName.IsValid(t) || !Guid.TryParseExact(u, "D", out uuid))
        {
            return false;
        }
        foreach (char c in u)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }
        // RFC 4122 §4.1.1: the variant field of an RFC 4122 UUID is 10xx in the high bits of octet 8.
        char variant = u[19];
        if (variant is not ('8' or '9' or 'a' or 'b'))
        {
            return false;
        }
        type = t;
        return true;
    }

    /// <summary>The UUID version nibble (4 for random, 5 for name-based SHA-1).</summary>
    public static int UuidVersion(string id) => id.Length >= 36 ? HexValue(id[^22]) : -1;

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}

/// <summary>Type-name rules of STIX 2.1 §3.1 (also used for custom objects, §11.1).</summary>
public static class StixTypeName
{
    /// <summary>
    /// A type name is 3–250 characters of lowercase ASCII letters, digits and hyphens, starting with a letter and
    /// with no two hyphens in a row (§3.1 "Property Names and String Literals"; §11.1 custom object types).
    /// </summary>
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 250)
        {
            return false;
        }
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetterLower(c) || (i > 0 && (char.IsAsciiDigit(c) || (c == '-' && name[i - 1] != '-')));
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
