using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Identifiers;

/// <summary>
/// Deterministic identifiers of STIX Cyber-observable Objects (STIX 2.1 §2.9, §3.4): a UUIDv5 in the namespace
/// 00abedb4-aa42-466c-9c01-fed23315a9b7 over the RFC 8785 serialization of the ID contributing properties.
/// </summary>
public static class ScoIdentifier
{
    /// <summary>The namespace STIX 2.1 §2.9 reserves for SCO identifiers.</summary>
    public static readonly Guid Namespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    // §6.1, §6.7, §6.18: "include only one hash ... from this ordered list [MD5, SHA-1, SHA-256, SHA-512]".
    private static readonly string[] HashPreference = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

    /// <summary>
    /// Computes the identifier an SCO should have, or null when the type is not an SCO of this specification or none
    /// of its ID contributing properties is present (then §2.9 requires a UUIDv4, which cannot be derived).
    /// </summary>
    public static string? Compute(JsonElement sco)
    {
        if (!sco.TryGetProperty("type", out var typeEl) || typeEl.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        string type = typeEl.GetString()!;
        var spec = TypeCatalog.Find(type);
        if (spec is null || spec.Category != ObjectCategory.Sco || spec.IdContributing.Length == 0)
        {
            return null;
        }
        var parts = new List<(string Name, JsonElement Value)>();
        foreach (string name in spec.IdContributing)
        {
            if (sco.TryGetProperty(name, out var v))
            {
                parts.Add((name, v));
            }
        }
        if (parts.Count == 0)
        {
            return null;
        }
        parts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var sb = new StringBuilder(128).Append('{');
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            JsonCanonicalizer.WriteString(sb, parts[i].Name);
            sb.Append(':');
            if (parts[i].Name == "hashes" && parts[i].Value.ValueKind == JsonValueKind.Object)
            {
                WriteOneHash(sb, parts[i].Value);
            }
            else
            {
                JsonCanonicalizer.Write(sb, parts[i].Value);
            }
        }
        sb.Append('}');
        return $"{type}--{Uuid5(Namespace, Encoding.UTF8.GetBytes(sb.ToString()))}";
    }

    private static void WriteOneHash(StringBuilder sb, JsonElement hashes)
    {
        foreach (string algorithm in HashPreference)
        {
            if (hashes.TryGetProperty(algorithm, out var h))
            {
                sb.Append('{');
                JsonCanonicalizer.WriteString(sb, algorithm);
                sb.Append(':');
                JsonCanonicalizer.Write(sb, h);
                sb.Append('}');
                return;
            }
        }
        // None of the preferred algorithms: take the first name in ordinal order so every producer picks the same one.
        sb.Append('{');
        var members = hashes.EnumerateObject().Select(p => (p.Name, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal).Take(1).ToList();
        foreach (var (name, value) in members)
        {
            JsonCanonicalizer.WriteString(sb, name);
            sb.Append(':');
            JsonCanonicalizer.Write(sb, value);
        }
        sb.Append('}');
    }

    /// <summary>RFC 4122 §4.3: a name-based UUID using SHA-1 (version 5).</summary>
    public static Guid Uuid5(Guid ns, ReadOnlySpan<byte> name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        ns.TryWriteBytes(nsBytes, bigEndian: true, out _);
        byte[] input = new byte[16 + name.Length];
        nsBytes.CopyTo(input);
        name.CopyTo(input.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 UUIDv5 is defined over; it is an identifier, not a security control.
        byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
