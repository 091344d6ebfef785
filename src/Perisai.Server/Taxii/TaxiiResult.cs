using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Perisai.Server.Taxii;

/// <summary>JSON writing settings shared by every TAXII response.</summary>
internal static class TaxiiJson
{
    /// <summary>
    /// Escapes only what JSON requires: responses are application/taxii+json, never embedded in HTML, and the default
    /// encoder's "\u002B" for '+' in media types trips up naive clients.
    /// </summary>
    public static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}

/// <summary>A TAXII resource response: a status code, a negotiated media type and JSON written straight to the body.</summary>
internal sealed class TaxiiResult(int status, string mediaType, Action<Utf8JsonWriter>? write, IReadOnlyList<(string Name, string Value)>? headers = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = mediaType;
        foreach (var (name, value) in headers ?? [])
        {
            httpContext.Response.Headers[name] = value;
        }
        if (write is null)
        {
            return;
        }
        await using var w = new Utf8JsonWriter(httpContext.Response.BodyWriter, new JsonWriterOptions { SkipValidation = true, Encoder = TaxiiJson.Encoder });
        write(w);
        await w.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
