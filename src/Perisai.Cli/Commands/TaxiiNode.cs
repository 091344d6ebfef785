using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Perisai.Cli.Commands;

/// <summary>
/// The TAXII 2.1 client side of <c>perisai scan --from</c>: indicators pulled from a node's collections, and sightings
/// posted back (TAXII 2.1 §5.4, §5.5). Works with any TAXII 2.1 server, not only Perisai.
/// </summary>
internal sealed class TaxiiNode : IDisposable
{
    private const string MediaType = "application/taxii+json;version=2.1";
    private readonly HttpClient _http;
    private readonly Uri _root;

    private readonly Uri _server;

    private TaxiiNode(HttpClient http, Uri server, Uri root)
    {
        _http = http;
        _server = server;
        _root = root;
    }

    /// <summary>
    /// The caller's organization as a Perisai node knows it (its STIX identity id, <c>GET /api/v1/whoami</c>); null from a
    /// server that is not Perisai.
    /// </summary>
    public async Task<string?> OrganizationAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_server, "api/v1/whoami"), ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            return doc.RootElement.TryGetProperty("organization_id", out var id) && id.GetString() is { } s && s.StartsWith("identity--", StringComparison.Ordinal) ? s : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Connects: the URL is an API root, or a server whose discovery resource (§4.1) names a default root.</summary>
    public static async Task<TaxiiNode> ConnectAsync(string url, string? key, CancellationToken ct)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Accept.ParseAdd(MediaType);
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        var baseUri = new Uri(url.EndsWith('/') ? url : url + "/");
        try
        {
            using var discovery = await http.GetAsync(new Uri(baseUri, "taxii2/"), ct).ConfigureAwait(false);
            if (discovery.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await discovery.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                string? root = doc.RootElement.TryGetProperty("default", out var d) ? d.GetString()
                    : doc.RootElement.TryGetProperty("api_roots", out var roots) && roots.GetArrayLength() > 0 ? roots[0].GetString() : null;
                if (root is not null)
                {
                    return new TaxiiNode(http, baseUri, new Uri(baseUri, root.EndsWith('/') ? root : root + "/"));
                }
            }
            return new TaxiiNode(http, baseUri, baseUri);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The collections to read: the one named (id or alias), or every one the key can read.</summary>
    public async Task<List<(string Id, string Title)>> CollectionsAsync(string? wanted, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await GetAsync(new Uri(_root, "collections/"), ct).ConfigureAwait(false));
        var list = new List<(string, string)>();
        if (doc.RootElement.TryGetProperty("collections", out var collections))
        {
            foreach (var c in collections.EnumerateArray())
            {
                string id = c.GetProperty("id").GetString()!;
                string? alias = c.TryGetProperty("alias", out var a) ? a.GetString() : null;
                bool canRead = c.TryGetProperty("can_read", out var r) && r.ValueKind == JsonValueKind.True;
                if (wanted is null ? canRead : wanted == id || wanted == alias)
                {
                    list.Add((id, c.TryGetProperty("title", out var t) ? t.GetString() ?? id : id));
                }
            }
        }
        return list;
    }

    /// <summary>
    /// Every indicator of a collection (latest versions), page by page following <c>next</c> (§3.4): each envelope is handed
    /// to <paramref name="page"/> as parsed, and read once.
    /// </summary>
    public async Task IndicatorsAsync(string collection, Action<JsonElement> page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        string? next = null;
        do
        {
            string query = "objects/?match[type]=indicator&limit=10000" + (next is null ? "" : "&next=" + Uri.EscapeDataString(next));
            using var doc = JsonDocument.Parse(await GetAsync(new Uri(_root, $"collections/{Uri.EscapeDataString(collection)}/{query}"), ct).ConfigureAwait(false));
            page(doc.RootElement);
            next = doc.RootElement.TryGetProperty("more", out var more) && more.ValueKind == JsonValueKind.True
                && doc.RootElement.TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        while (next is not null);
    }

    /// <summary>Posts objects (each one's JSON) to a collection (§5.4) and returns the status resource's id.</summary>
    public async Task<string> AddAsync(string collection, IEnumerable<string> objects, CancellationToken ct)
    {
        string body = "{\"objects\":[" + string.Join(",", objects) + "]}";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
        using var response = await _http.PostAsync(new Uri(_root, $"collections/{Uri.EscapeDataString(collection)}/objects/"), content, ct).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {Title(text)}");
        }
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<string> GetAsync(Uri uri, CancellationToken ct)
    {
        using var response = await _http.GetAsync(uri, ct).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {Title(text)} ({uri})");
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

    public void Dispose() => _http.Dispose();
}
