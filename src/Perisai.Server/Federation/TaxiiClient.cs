using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Perisai.Server.Federation;

/// <summary>How a <see cref="TaxiiClient"/> talks to a server.</summary>
public sealed record TaxiiClientOptions
{
    /// <summary>The API key, sent as a Bearer token; none when null.</summary>
    public string? Key { get; init; }

    /// <summary>Longest one attempt of a request may take (default 2 minutes); retries have their own.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times a transient failure (a 408, 429 or 5xx, a refused connection, a timeout) is retried (default 4).</summary>
    public int Retries { get; init; } = 4;

    /// <summary>First delay between retries, doubled each time with jitter (default 1 s); a Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest response body read (default 64 MiB); a larger one fails the request with a clear error.</summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The SHA-256 fingerprint (hex, colons allowed) the server's certificate must have. When set, the certificate is
    /// accepted by its fingerprint alone (a peer node's self-signed certificate, exchanged when joining); when not, the
    /// system's chain validation decides.
    /// </summary>
    public string? PinnedSha256 { get; init; }

    /// <summary>The innermost handler (tests put an in-memory server here); a socket handler when null.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>A TAXII request that failed, with the server's status and the title of its error resource (TAXII 2.1 §3.6.1).</summary>
public sealed class TaxiiClientException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>One collection as the server describes it (TAXII 2.1 §5.2.1).</summary>
public sealed record CollectionInfo(string Id, string Title, string? Alias, bool CanRead, bool CanWrite);

/// <summary>
/// A TAXII 2.1 client for any TAXII 2.1 server, not only Perisai: discovery (§4.1), collections (§5.1), objects with
/// filters and paging by <c>next</c> (§3.4, §5.4), adding objects (§5.5) and polling their status (§4.3). Transient
/// failures are retried with exponential backoff and jitter (Microsoft.Extensions.Http.Resilience); every attempt has a
/// timeout and every response a size limit; the server's certificate is validated, or pinned by fingerprint.
/// </summary>
public sealed class TaxiiClient : IDisposable
{
    /// <summary>The TAXII 2.1 media type (§1.6.8).</summary>
    public const string MediaType = "application/taxii+json;version=2.1";

    private readonly HttpClient _http;
    private readonly long _maxResponseBytes;

    private TaxiiClient(HttpClient http, long maxResponseBytes, Uri server, Uri root)
    {
        _http = http;
        _maxResponseBytes = maxResponseBytes;
        Server = server;
        ApiRoot = root;
    }

    /// <summary>The server's base address.</summary>
    public Uri Server { get; }

    /// <summary>The API root the client reads and writes.</summary>
    public Uri ApiRoot { get; }

    /// <summary>
    /// Connects to <paramref name="url"/>: an API root, or a server whose discovery resource (§4.1) names a default API
    /// root (or else its first).
    /// </summary>
    public static async Task<TaxiiClient> ConnectAsync(string url, TaxiiClientOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new TaxiiClientException(FederationMessages.NotAUrl(url));
        }
        var http = Create(options);
        try
        {
            var probe = new TaxiiClient(http, options.MaxResponseBytes, baseUri, baseUri);
            string? root = null;
            try
            {
                using var doc = JsonDocument.Parse(await probe.GetAsync(new Uri(baseUri, "taxii2/"), ct).ConfigureAwait(false));
                root = doc.RootElement.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                    : doc.RootElement.TryGetProperty("api_roots", out var roots) && roots.ValueKind == JsonValueKind.Array && roots.GetArrayLength() > 0 ? roots[0].GetString() : null;
            }
            catch (TaxiiClientException e) when (e.Status is HttpStatusCode.NotFound)
            {
                // No discovery here: the URL is taken for an API root.
            }
            catch (JsonException)
            {
                // Not a discovery resource: the URL is taken for an API root.
            }
            return new TaxiiClient(http, options.MaxResponseBytes, baseUri, root is null ? baseUri : new Uri(baseUri, root.EndsWith('/') ? root : root + "/"));
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether a server certificate is acceptable: by its SHA-256 fingerprint alone when one is pinned, otherwise when
    /// the system's validation found no error.
    /// </summary>
    public static bool CertificateAccepted(X509Certificate? certificate, SslPolicyErrors errors, string? pinnedSha256)
    {
        if (pinnedSha256 is null)
        {
            return errors == SslPolicyErrors.None;
        }
        if (certificate is null)
        {
            return false;
        }
        string expected = pinnedSha256.Replace(":", "", StringComparison.Ordinal).Trim();
        string actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expected.ToUpperInvariant()));
    }

    /// <summary>The collections of the API root.</summary>
    public async Task<IReadOnlyList<CollectionInfo>> CollectionsAsync(CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await GetAsync(new Uri(ApiRoot, "collections/"), ct).ConfigureAwait(false));
        var list = new List<CollectionInfo>();
        if (doc.RootElement.TryGetProperty("collections", out var collections) && collections.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in collections.EnumerateArray())
            {
                if (c.TryGetProperty("id", out var id) && id.GetString() is { } cid)
                {
                    list.Add(new CollectionInfo(cid, c.TryGetProperty("title", out var t) ? t.GetString() ?? cid : cid,
                        c.TryGetProperty("alias", out var a) ? a.GetString() : null,
                        c.TryGetProperty("can_read", out var r) && r.ValueKind == JsonValueKind.True,
                        c.TryGetProperty("can_write", out var w) && w.ValueKind == JsonValueKind.True));
                }
            }
        }
        return list;
    }

    /// <summary>
    /// Every object of a collection that the filters select, page by page following <c>next</c> (§3.4): each envelope
    /// is handed to <paramref name="page"/> as parsed, with the page's <c>X-TAXII-Date-Added-Last</c> (§3.2) when the
    /// server sent it, so a caller can resume with <c>added_after</c>.
    /// </summary>
    /// <param name="collection">The collection's id.</param>
    /// <param name="query">Filters as TAXII query parameters without <c>next</c>, e.g. <c>match[type]=indicator&amp;match[version]=all</c>.</param>
    /// <param name="page">Called once per page.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task ObjectsAsync(string collection, string query, Func<JsonElement, string?, Task> page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        string? next = null;
        do
        {
            string q = query + (next is null ? "" : (query.Length > 0 ? "&" : "") + "next=" + Uri.EscapeDataString(next));
            var (text, last) = await GetWithHeaderAsync(new Uri(ApiRoot, $"collections/{Uri.EscapeDataString(collection)}/objects/" + (q.Length > 0 ? "?" + q : "")), "X-TAXII-Date-Added-Last", ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(text);
            await page(doc.RootElement, last).ConfigureAwait(false);
            next = doc.RootElement.TryGetProperty("more", out var more) && more.ValueKind == JsonValueKind.True
                && doc.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        while (next is not null);
    }

    /// <summary>
    /// Adds objects (each one's JSON) to a collection (§5.5); returns the status resource's id. A Perisai peer is also
    /// told who produced each (<paramref name="producers"/>, one per object: <see cref="PeerWire.ProducersProperty"/>).
    /// </summary>
    public async Task<string> AddAsync(string collection, IEnumerable<string> objects, CancellationToken ct, IReadOnlyList<string>? producers = null)
    {
        var status = await AddWithStatusAsync(collection, objects, ct, producers).ConfigureAwait(false);
        return status.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Adds objects like <see cref="AddAsync"/> and returns the status resource the server answered with (§4.3.1): a
    /// server that applied them before answering says <c>complete</c> there, and no poll is needed.
    /// </summary>
    public async Task<JsonElement> AddWithStatusAsync(string collection, IEnumerable<string> objects, CancellationToken ct, IReadOnlyList<string>? producers = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        string body = "{\"objects\":[" + string.Join(",", objects) + "]"
            + (producers is { Count: > 0 } ? $",\"{PeerWire.ProducersProperty}\":{JsonSerializer.Serialize(producers)}" : "") + "}";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
        // Adding the same versions again changes nothing (§5.5: a duplicate is not an error), so a retried POST is safe.
        string text = await SendAsync(HttpMethod.Post, new Uri(ApiRoot, $"collections/{Uri.EscapeDataString(collection)}/objects/"), content, ct).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? doc.RootElement.Clone()
            : throw new TaxiiClientException(FederationMessages.NoStatusId);
    }

    /// <summary>
    /// Polls a status resource (§4.3) until it is <c>complete</c> or <paramref name="wait"/> has passed; returns the
    /// last status read (its <c>status</c>, counts and details as the server wrote them).
    /// </summary>
    public async Task<JsonElement> StatusAsync(string statusId, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        var until = time.GetUtcNow() + wait;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            using var doc = JsonDocument.Parse(await GetAsync(new Uri(ApiRoot, $"status/{Uri.EscapeDataString(statusId)}/"), ct).ConfigureAwait(false));
            var status = doc.RootElement.Clone();
            if ((status.TryGetProperty("status", out var s) && s.ValueEquals("complete")) || time.GetUtcNow() >= until)
            {
                return status;
            }
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>
    /// The caller's organization as a Perisai node knows it (its STIX identity id, <c>GET /api/v1/whoami</c>); null from a
    /// server that is not Perisai.
    /// </summary>
    public async Task<string?> OrganizationAsync(CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await GetAsync(new Uri(Server, "api/v1/whoami"), ct).ConfigureAwait(false));
            return doc.RootElement.TryGetProperty("organization_id", out var id) && id.GetString() is { } s && s.StartsWith("identity--", StringComparison.Ordinal) ? s : null;
        }
        catch (Exception e) when (e is TaxiiClientException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Posts JSON to a Perisai node's own API (the join handshake, <c>/api/v1/peers/join</c>); returns the answer's body.</summary>
    public async Task<string> PostNodeApiAsync(string path, string json, CancellationToken ct)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(HttpMethod.Post, new Uri(Server, path), content, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private Task<string> GetAsync(Uri uri, CancellationToken ct) => SendAsync(HttpMethod.Get, uri, null, ct);

    private async Task<(string Body, string? Header)> GetWithHeaderAsync(Uri uri, string header, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        string text = await ReadAsync(response, uri, ct).ConfigureAwait(false);
        return (text, response.Headers.TryGetValues(header, out var v) ? v.FirstOrDefault() : null);
    }

    private async Task<string> SendAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        return await ReadAsync(response, uri, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TaxiiClientException(FederationMessages.Unreachable(request.RequestUri!, e.Message), null, e);
        }
        catch (Exception e) when (e is TimeoutException or Polly.Timeout.TimeoutRejectedException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new TaxiiClientException(FederationMessages.TimedOut(request.RequestUri!), null, e);
        }
    }

    private async Task<string> ReadAsync(HttpResponseMessage response, Uri uri, CancellationToken ct)
    {
        long max = _maxResponseBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw new TaxiiClientException(FederationMessages.TooLarge(uri, max), response.StatusCode);
        }
        // Read with the limit whatever the server claims: a body without Content-Length may be endless.
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new TaxiiClientException(FederationMessages.TooLarge(uri, max), response.StatusCode);
            }
            buffer.Write(chunk, 0, read);
        }
        string text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!response.IsSuccessStatusCode)
        {
            throw new TaxiiClientException(FederationMessages.Refused(uri, (int)response.StatusCode, Title(text)), response.StatusCode);
        }
        return text;
    }

    // The TAXII error resource's title (§3.6.1), when the body is one.
    private static string Title(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static HttpClient Create(TaxiiClientOptions options)
    {
        var inner = options.Handler ?? new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // TAXII 2.1 §8.2.2: TLS 1.2 or later.
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => CertificateAccepted(certificate, errors, options.PinnedSha256),
            },
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.Retries),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
        var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = inner })
        {
            // Retries and per-attempt timeouts are the pipeline's; the client's own timeout only bounds the whole. Bodies
            // are read as they arrive (ReadAsync), with the size limit applied there.
            Timeout = TimeSpan.FromTicks(options.AttemptTimeout.Ticks * (Math.Max(0, options.Retries) + 2)),
        };
        http.DefaultRequestHeaders.Accept.ParseAdd(MediaType);
        if (options.Key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        }
        return http;
    }
}
