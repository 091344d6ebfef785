using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Perisai.Server.Taxii;

/// <summary>Content negotiation of TAXII 2.1 §1.6.8: media types with an optional version parameter.</summary>
public static class MediaTypes
{
    /// <summary>The TAXII 2.1 media type.</summary>
    public const string Taxii = "application/taxii+json;version=2.1";

    /// <summary>The STIX 2.1 media type.</summary>
    public const string Stix = "application/stix+json;version=2.1";

    /// <summary>
    /// Chooses the response media type from the Accept header, or null when none can be served (406). An absent Accept
    /// header accepts anything (RFC 7231 §5.3.2). <paramref name="allowStix"/> lets object endpoints answer
    /// <c>application/stix+json;version=2.1</c> to clients that ask for it.
    /// </summary>
    public static string? Negotiate(HttpRequest request, bool allowStix)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0)
        {
            return Taxii;
        }
        foreach (var range in accept.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (Matches(range, "application/taxii+json"))
            {
                return Taxii;
            }
            if (allowStix && Matches(range, "application/stix+json"))
            {
                return Stix;
            }
            if (range.MediaType == "*/*" || range.MediaType == "application/*")
            {
                return Taxii;
            }
        }
        return null;
    }

    /// <summary>Whether a request body's Content-Type is a TAXII 2.1 envelope (415 otherwise).</summary>
    public static bool IsTaxiiContent(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypeHeaderValue.TryParse(request.ContentType, out var ct)
            && (Matches(ct, "application/taxii+json") || Matches(ct, "application/stix+json"));
    }

    private static bool Matches(MediaTypeHeaderValue value, string type)
    {
        if (!value.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // No version parameter means "the latest version the server supports" (§1.6.8.2), which is 2.1 here.
        var version = value.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
        return version is null || version.Value.Equals("2.1", StringComparison.Ordinal);
    }
}
