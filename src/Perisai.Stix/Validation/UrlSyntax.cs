namespace Perisai.Stix.Validation;

/// <summary>
/// What a <c>url</c> object's <c>value</c> must be (STIX 2.1 §6.15: "a URL, as defined in RFC 3986"): a scheme
/// (RFC 3986 §3.1: a letter, then letters, digits, '+', '-' or '.') and ':', then no whitespace or control characters.
/// </summary>
public static class UrlSyntax
{
    /// <summary>Whether the value starts with a scheme and ':' (RFC 3986 §3.1).</summary>
    public static bool HasScheme(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }
        for (int i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '-' or '.'))
            {
                return false;
            }
        }
        // "host:port" and "host:port/path" are not a scheme: RFC 3986 would read "evil.example:8080/x" as the scheme
        // "evil.example", but no one writes a URL so; a scheme is followed by "//", or by something that is not a port.
        string rest = value[(colon + 1)..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }
        int digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }
        return rest.Length > 0 && !(digits > 0 && (digits == rest.Length || rest[digits] == '/'));
    }

    /// <summary>Whether the value is a URL by RFC 3986: a scheme, and no whitespace or control character anywhere.</summary>
    public static bool IsUrl(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return HasScheme(value) && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
