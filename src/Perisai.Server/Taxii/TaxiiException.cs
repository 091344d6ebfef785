using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Perisai.Server.Taxii;

/// <summary>
/// A protocol error, raised anywhere below the HTTP boundary and written once, there, as a TAXII error resource
/// (TAXII 2.1 §3.6.1).
/// </summary>
public sealed class TaxiiException : Exception
{
    /// <summary>Creates a problem with an HTTP status, a title and a description.</summary>
    public TaxiiException(int status, string title, string description, IReadOnlyDictionary<string, object?>? details = null)
        : base(description)
    {
        Status = status;
        Title = title;
        Description = description;
        Details = details;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The error title.</summary>
    public string Title { get; }

    /// <summary>The error description.</summary>
    public string Description { get; }

    /// <summary>Structured details, or null.</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; }

    internal static TaxiiException BadRequest(string description) => new(400, TaxiiMessages.BadRequest, description);

    internal static TaxiiException NotFound(string description) => new(404, TaxiiMessages.NotFound, description);

    internal static TaxiiException Forbidden(string description) => new(403, TaxiiMessages.Forbidden, description);

    /// <summary>Writes the error resource.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = Status;
        context.Response.ContentType = MediaTypes.Taxii;
        if (Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"perisai\", Basic realm=\"perisai\", charset=\"UTF-8\"";
        }
        await using var w = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Encoder = TaxiiJson.Encoder });
        w.WriteStartObject();
        w.WriteString("title", Title);
        w.WriteString("description", Description);
        w.WriteString("error_id", context.TraceIdentifier);
        w.WriteString("error_code", ErrorCode(Status));
        w.WriteString("http_status", Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Details is not null)
        {
            w.WritePropertyName("details");
            JsonSerializer.Serialize(w, Details);
        }
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string ErrorCode(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        406 => "not-acceptable",
        413 => "too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable",
        _ => "server-error",
    };
}
