using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary>Envelopes of generated indicators and helpers to post and wait for them.</summary>
internal static class Bulk
{
    public static List<string> Ids(int n) => [.. Enumerable.Range(0, n).Select(_ => $"indicator--{Guid.NewGuid()}")];

    public static StringContent Envelope(IEnumerable<string> ids)
    {
        var sb = new StringBuilder("{\"objects\":[");
        bool first = true;
        foreach (string id in ids)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            sb.Append("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"").Append(id)
              .Append("\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}");
        }
        sb.Append("]}");
        var content = new StringContent(sb.ToString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
        return content;
    }

    /// <summary>Posts an envelope; returns its status id once the server acknowledged it (202).</summary>
    public static async Task<string> PostAsync(HttpClient client, string collection, IEnumerable<string> ids)
    {
        var response = await client.PostAsync($"/default/collections/{collection}/objects/", Envelope(ids));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> WaitCompleteAsync(HttpClient client, string statusId, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var s = JsonDocument.Parse(await client.GetStringAsync($"/default/status/{statusId}/")).RootElement;
            if (s.GetProperty("status").GetString() == "complete")
            {
                return s.Clone();
            }
            Assert.True(clock.Elapsed < timeout, $"status {statusId} still pending after {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Every id in a collection, read through the manifest with next-paging.</summary>
    public static async Task<List<string>> AllIdsAsync(HttpClient client, string collection, int limit)
    {
        var ids = new List<string>();
        string url = $"/default/collections/{collection}/manifest/?limit={limit}";
        while (true)
        {
            var env = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
            if (env.TryGetProperty("objects", out var objs))
            {
                ids.AddRange(objs.EnumerateArray().Select(o => o.GetProperty("id").GetString()!));
            }
            if (!env.GetProperty("more").GetBoolean())
            {
                return ids;
            }
            url = $"/default/collections/{collection}/manifest/?limit={limit}&next={Uri.EscapeDataString(env.GetProperty("next").GetString()!)}";
        }
    }

    public static async Task<string> AddCollectionAsync(string[] storeArgs, string alias)
    {
        var r = await PerisaiProcess.RunAsync(["collection", "add", "--title", alias, "--alias", alias, "--id", alias, .. storeArgs]);
        Assert.True(r.Exit == 0, r.Err);
        return alias;
    }
}
