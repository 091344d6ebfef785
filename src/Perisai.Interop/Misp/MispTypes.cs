using System.Collections.Frozen;

namespace Perisai.Interop.Misp;

/// <summary>
/// How a MISP attribute type is written in STIX 2.1: the object paths (STIX 2.1 §9.1, written here without quotes,
/// e.g. <c>file:hashes.SHA-256</c>) that its value, or each part of a composite value (<c>filename|md5</c>), goes to.
/// The same slots make the indicator's pattern and the observed-data's SCOs, and read them back.
/// </summary>
/// <param name="Name">The MISP type.</param>
/// <param name="Paths">One path per part of the value, in MISP's order.</param>
/// <param name="Category">MISP's default category for the type, used when a STIX object does not say.</param>
internal sealed record MispType(string Name, string[] Paths, string Category)
{
    /// <summary>The SCO type all of the paths start from.</summary>
    public string ObjectType => Paths[0][..Paths[0].IndexOf(':', StringComparison.Ordinal)];
}

/// <summary>
/// The attribute-type half of the mapping table (docs/interop.md). Types that are not observables are mapped by
/// <see cref="MispToStix"/> to SDOs (vulnerability, threat-actor, campaign-name), to indicators of another pattern
/// language (yara, snort, sigma, stix2-pattern), or to a note.
/// </summary>
internal static class MispTypes
{
    /// <summary>Placeholder object type for an address: ipv4-addr or ipv6-addr, chosen by the value.</summary>
    public const string AnyAddress = "ip-addr";

    private static readonly MispType[] All =
    [
        new("ip-dst", [$"{AnyAddress}:value"], "Network activity"),
        new("ip-src", [$"{AnyAddress}:value"], "Network activity"),
        new("ip-dst|port", ["network-traffic:dst_ref.value", "network-traffic:dst_port"], "Network activity"),
        new("ip-src|port", ["network-traffic:src_ref.value", "network-traffic:src_port"], "Network activity"),
        new("domain", ["domain-name:value"], "Network activity"),
        new("hostname", ["domain-name:value"], "Network activity"),
        new("domain|ip", ["domain-name:value", "domain-name:resolves_to_refs[*].value"], "Network activity"),
        new("url", ["url:value"], "Network activity"),
        new("uri", ["url:value"], "Network activity"),
        new("link", ["url:value"], "External analysis"),
        new("email", ["email-addr:value"], "Payload delivery"),
        new("email-src", ["email-message:from_ref.value"], "Payload delivery"),
        new("email-dst", ["email-message:to_refs[*].value"], "Payload delivery"),
        new("email-subject", ["email-message:subject"], "Payload delivery"),
        new("whois-registrant-email", ["email-addr:value"], "Attribution"),
        new("md5", ["file:hashes.MD5"], "Payload delivery"),
        new("sha1", ["file:hashes.SHA-1"], "Payload delivery"),
        new("sha256", ["file:hashes.SHA-256"], "Payload delivery"),
        new("sha512", ["file:hashes.SHA-512"], "Payload delivery"),
        new("sha3-256", ["file:hashes.SHA3-256"], "Payload delivery"),
        new("ssdeep", ["file:hashes.SSDEEP"], "Payload delivery"),
        new("tlsh", ["file:hashes.TLSH"], "Payload delivery"),
        new("filename", ["file:name"], "Payload delivery"),
        new("filename|md5", ["file:name", "file:hashes.MD5"], "Payload delivery"),
        new("filename|sha1", ["file:name", "file:hashes.SHA-1"], "Payload delivery"),
        new("filename|sha256", ["file:name", "file:hashes.SHA-256"], "Payload delivery"),
        new("filename|sha512", ["file:name", "file:hashes.SHA-512"], "Payload delivery"),
        new("mutex", ["mutex:name"], "Artifacts dropped"),
        new("regkey", ["windows-registry-key:key"], "Persistence mechanism"),
        new("regkey|value", ["windows-registry-key:key", "windows-registry-key:values[*].data"], "Persistence mechanism"),
        new("AS", ["autonomous-system:number"], "Network activity"),
        new("mac-address", ["mac-addr:value"], "Network activity"),
        new("user-agent", ["network-traffic:extensions.http-request-ext.request_header.User-Agent"], "Network activity"),
        new("x509-fingerprint-md5", ["x509-certificate:hashes.MD5"], "Network activity"),
        new("x509-fingerprint-sha1", ["x509-certificate:hashes.SHA-1"], "Network activity"),
        new("x509-fingerprint-sha256", ["x509-certificate:hashes.SHA-256"], "Network activity"),
        new("ja3-fingerprint-md5", ["x-ja3:value"], "Network activity"),
        new("port", ["network-traffic:dst_port"], "Network activity"),
    ];

    private static readonly FrozenDictionary<string, MispType> ByName = All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Paths whose values are integers in STIX (ports, AS numbers).</summary>
    public static bool IsInteger(string path) => path.EndsWith("_port", StringComparison.Ordinal) || path == "autonomous-system:number";

    /// <summary>The observable mapping of a MISP type, or null for the others.</summary>
    public static MispType? Find(string type) => ByName.GetValueOrDefault(type);

    /// <summary>
    /// The MISP type whose paths are exactly <paramref name="paths"/> (in any order), preferring
    /// <paramref name="hint"/> (an <c>x_misp_type</c>) where several share them (ip-src and ip-dst, domain and
    /// hostname); null when none does.
    /// </summary>
    public static MispType? Match(IReadOnlyCollection<string> paths, string? hint)
    {
        bool Fits(MispType t) => t.Paths.Length == paths.Count && t.Paths.All(paths.Contains);
        if (hint is not null && Find(hint) is { } hinted && Fits(hinted))
        {
            return hinted;
        }
        return All.FirstOrDefault(Fits);
    }

    /// <summary>The STIX pattern path for a table path: keys that are not plain identifiers quoted (§9.1).</summary>
    public static string PatternPath(string path)
    {
        int colon = path.IndexOf(':', StringComparison.Ordinal);
        var keys = path[(colon + 1)..].Split('.');
        return path[..(colon + 1)] + string.Join('.', keys.Select(k =>
        {
            string name = k.EndsWith("[*]", StringComparison.Ordinal) ? k[..^3] : k;
            string suffix = k[name.Length..];
            return (name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') ? name : $"'{name}'") + suffix;
        }));
    }

    /// <summary>A STIX hash algorithm name in its vocabulary form (§10.6: MD5, SHA-1, SHA-256, SHA-512, SHA3-256…).</summary>
    public static string HashName(string name)
    {
        string upper = name.ToUpperInvariant();
        return upper switch
        {
            "SHA1" => "SHA-1",
            "SHA256" => "SHA-256",
            "SHA512" => "SHA-512",
            "SHA3256" => "SHA3-256",
            _ => upper,
        };
    }
}
