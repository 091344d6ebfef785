using System.Globalization;
using System.Text;
using Perisai.Patterning;

namespace Perisai.Detection.Indicators;

/// <summary>The kinds of value the fast path looks up.</summary>
public enum IocKind
{
    /// <summary>An IPv4 or IPv6 address, or a CIDR block of them.</summary>
    Address,
    /// <summary>A domain name; a listed domain also matches its subdomains.</summary>
    Domain,
    /// <summary>A URL, compared after RFC 3986 normalization.</summary>
    Url,
    /// <summary>An e-mail address.</summary>
    Email,
    /// <summary>An MD5, SHA-1, SHA-256 or SHA-512 file hash (hex; the length tells which).</summary>
    FileHash,
    /// <summary>A TLS certificate fingerprint (hex, colons ignored).</summary>
    CertificateFingerprint,
    /// <summary>A JA3 or JA3S client or server fingerprint (an MD5 in hex).</summary>
    Ja3,
    /// <summary>An HTTP user agent, compared exactly.</summary>
    UserAgent,
}

/// <summary>
/// The canonical forms values are compared in, for indicators and log values alike, so that one lookup decides.
/// Null when a value is not of the kind at all.
/// </summary>
public static class IocNormalizer
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true };

    /// <summary>The canonical form of <paramref name="value"/> as a <paramref name="kind"/>, or null.</summary>
    public static string? Normalize(IocKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        return kind switch
        {
            IocKind.Domain => Domain(value),
            IocKind.Url => Url(value),
            IocKind.Email => Email(value),
            IocKind.FileHash or IocKind.Ja3 => Hex(value, colons: false),
            IocKind.CertificateFingerprint => Hex(value, colons: true),
            IocKind.UserAgent => value.Length == 0 ? null : value,
            _ => IpSet.TryParse(value, out var set) ? set.Key : null,
        };
    }

    /// <summary>
    /// A domain name in ASCII lowercase (IDNA 2008 via <see cref="IdnMapping"/>: 'bücher.example' is
    /// 'xn--bcher-kva.example'), without a trailing dot; null for anything that is not a host name.
    /// </summary>
    public static string? Domain(string value)
    {
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }
        if (value.Length is 0 or > 253 || value.Contains(' ', StringComparison.Ordinal) || IpSet.TryParse(value, out _))
        {
            return null;
        }
        if (!Ascii.IsValid(value))
        {
            try
            {
                value = Idn.GetAscii(value);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return null;
            }
        }
        // At least two labels, and a top-level label that is not all digits (RFC 3696 §2): '1.2.3' is a broken address,
        // not a name.
        int lastDot = value.LastIndexOf('.');
        if (lastDot < 0 || value.AsSpan(lastDot + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return null;
        }
        return value.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? value : value.ToLowerInvariant();
    }

    /// <summary>
    /// RFC 3986 §6.2.2 syntax-based normalization: scheme and host in lowercase, the default port dropped, percent
    /// escapes of unreserved characters decoded and the others' hex digits in uppercase, dot segments removed, an empty
    /// path made '/'. The fragment is dropped: it never leaves the browser, so a log never shows it.
    /// </summary>
    public static string? Url(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ftp" or "ws" or "wss"))
        {
            return null;
        }
        string? host = Domain(uri.IdnHost) ?? (IpSet.TryParse(uri.IdnHost.Trim('[', ']'), out _) ? uri.IdnHost.ToLowerInvariant() : null);
        if (host is null)
        {
            return null;
        }
        var sb = new StringBuilder(value.Length).Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            sb.Append(PercentNormalize(uri.UserInfo)).Append('@');
        }
        sb.Append(host);
        if (!uri.IsDefaultPort)
        {
            sb.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
        }
        string path = PercentNormalize(uri.AbsolutePath);
        sb.Append(path.Length == 0 ? "/" : path).Append(PercentNormalize(uri.Query));
        return sb.ToString();
    }

    /// <summary>An e-mail address with its domain normalized as a domain; the local part kept as written (RFC 5321 §2.4).</summary>
    public static string? Email(string value)
    {
        int at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return null;
        }
        string? domain = Domain(value[(at + 1)..]);
        return domain is null ? null : value[..at] + "@" + domain;
    }

    private static string? Hex(string value, bool colons)
    {
        if (colons)
        {
            value = value.Replace(":", "", StringComparison.Ordinal);
        }
        if (value.Length is 0 or > 128 || value.Length % 2 != 0 || !value.All(char.IsAsciiHexDigit))
        {
            return null;
        }
        return value.ToLowerInvariant();
    }

    private static string PercentNormalize(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && char.IsAsciiHexDigit(s[i + 1]) && char.IsAsciiHexDigit(s[i + 2]))
            {
                char c = (char)Convert.ToByte(s.Substring(i + 1, 2), 16);
                // RFC 3986 §2.3: unreserved characters are equivalent to their escapes and should be decoded.
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(char.ToUpperInvariant(s[i + 1])).Append(char.ToUpperInvariant(s[i + 2]));
                }
                i += 2;
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }
}
