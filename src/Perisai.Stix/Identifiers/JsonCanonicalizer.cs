using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Perisai.Stix.Identifiers;

/// <summary>
/// The JSON Canonicalization Scheme of RFC 8785, which STIX 2.1 §2.9 prescribes for the name of a deterministic
/// SCO identifier: object members sorted by their UTF-16 code units, no insignificant white space, strings with
/// the minimal escapes of ECMAScript's JSON.stringify, numbers in ECMAScript's shortest round-trip form.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>Serializes a JSON value canonically to UTF-8.</summary>
    public static byte[] Canonicalize(JsonElement value)
    {
        var sb = new StringBuilder(256);
        Write(sb, value);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    internal static void Write(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                // RFC 8785 §3.2.3: sort by the UTF-16 code units of the names, which is ordinal string order in .NET.
                var members = value.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                sb.Append('{');
                for (int i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    WriteString(sb, members[i].Name);
                    sb.Append(':');
                    Write(sb, members[i].Value);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                int n = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (n++ > 0)
                    {
                        sb.Append(',');
                    }
                    Write(sb, item);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, value.GetString()!);
                break;
            case JsonValueKind.Number:
                WriteNumber(sb, value);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>RFC 8785 §3.2.2.2: escape only '"', '\\' and control characters, with the short forms where they exist.</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>
    /// RFC 8785 §3.2.2.3: numbers as ECMAScript Number.prototype.toString: integers without a fraction,
    /// otherwise the shortest round-trip digits, exponent form only below 1e-6 or from 1e21.
    /// </summary>
    private static void WriteNumber(StringBuilder sb, JsonElement value)
    {
        double d = value.GetDouble();
        if (d == 0)
        {
            sb.Append('0');
            return;
        }
        if (Math.Abs(d) < 1e21 && d == Math.Floor(d))
        {
            sb.Append(d.ToString("F0", CultureInfo.InvariantCulture));
            return;
        }
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        double abs = Math.Abs(d);
        if (abs >= 1e-6 && abs < 1e21)
        {
            // Expand any exponent .NET chose into plain decimal digits.
            r = d.ToString("0.#####################", CultureInfo.InvariantCulture);
            sb.Append(r);
            return;
        }
        // ECMAScript exponent form: mantissa, 'e', sign, exponent without leading zeros.
        int e = r.IndexOf('E', StringComparison.Ordinal);
        string mantissa = r[..e];
        int exponent = int.Parse(r.AsSpan(e + 1), CultureInfo.InvariantCulture);
        sb.Append(mantissa).Append('e').Append(exponent >= 0 ? "+" : "-").Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
    }
}
