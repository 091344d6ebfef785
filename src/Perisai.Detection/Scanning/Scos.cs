using System.Text.Json;
using Perisai.Detection.Indicators;

namespace Perisai.Detection.Scanning;

/// <summary>Values found in logs written as STIX cyber-observable objects, for the pattern engine and for sightings.</summary>
internal static class Scos
{
    /// <summary>The STIX cyber-observable a value stands for (STIX 2.1 §6).</summary>
    public static string Json(IocKind kind, string value)
    {
        string v = JsonSerializer.Serialize(value);
        return kind switch
        {
            IocKind.Address => $$"""{"type":"{{(value.Contains(':', StringComparison.Ordinal) ? "ipv6-addr" : "ipv4-addr")}}","value":{{v}}}""",
            IocKind.Domain => $$"""{"type":"domain-name","value":{{v}}}""",
            IocKind.Url => $$"""{"type":"url","value":{{v}}}""",
            IocKind.Email => $$"""{"type":"email-addr","value":{{v}}}""",
            IocKind.FileHash => $$$$"""{"type":"file","hashes":{"{{{{HashName(value)}}}}":{{{{v}}}}}}""",
            IocKind.CertificateFingerprint => $$$$"""{"type":"x509-certificate","hashes":{"{{{{HashName(value.Replace(":", "", StringComparison.Ordinal))}}}}":{{{{v}}}}}}""",
            IocKind.UserAgent => """{"type":"network-traffic","protocols":["http"],"extensions":{"http-request-ext":{"request_method":"GET","request_value":"/","request_header":{"User-Agent":""" + v + "}}}}",
            _ => $$"""{"type":"x-ja3","value":{{v}}}""",
        };
    }

    private static string HashName(string hex) => hex.Length switch
    {
        32 => "MD5",
        40 => "SHA-1",
        128 => "SHA-512",
        _ => "SHA-256",
    };
}
