using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Perisai.Benchmarks;

/// <summary>
/// Drives a running node over loopback as TAXII clients would: POSTs envelopes until every status is complete, then
/// pages through the collection. Prints objects/s for both as one JSON line. Used by taxii-throughput.sh.
/// </summary>
public static class TaxiiLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
        }
        var url = new Uri(Arg("--url"));
        if (!url.IsLoopback)
        {
            // Load is only ever pointed at this machine.
            Console.Error.WriteLine("load: --url must be a loopback address");
            return 2;
        }
        string key = Arg("--key"), collection = Arg("--collection");
        int objects = int.Parse(Arg("--objects", "100000"), CultureInfo.InvariantCulture);
        int batch = int.Parse(Arg("--batch", "5000"), CultureInfo.InvariantCulture);
        int page = int.Parse(Arg("--page", "10000"), CultureInfo.InvariantCulture);
        int clients = int.Parse(Arg("--clients", "2"), CultureInfo.InvariantCulture);
        int warmup = int.Parse(Arg("--warmup", "0"), CultureInfo.InvariantCulture);
        string? warmupCollection = warmup > 0 ? Arg("--warmup-collection") : null;
        // One pass over 100,000 objects takes under a second, so a single pass is at the mercy of whatever else the
        // shared machine does in that second: the collection is read several times and the median pass reported.
        int reads = int.Parse(Arg("--reads", "5"), CultureInfo.InvariantCulture);
        string readKey = Arg("--read-key", key);

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        double? cold = null;
        if (warmupCollection is not null)
        {
            // The same work on another collection first, untimed here: a node runs for months, so the steady state
            // after the JIT has optimized the hot paths is what a member sees. The cold rate is reported too.
            var warm = Envelopes(warmup, batch, 1_000_000);
            var w = Stopwatch.StartNew();
            await IngestAsync(http, $"/default/collections/{warmupCollection}/objects/", warm, clients);
            cold = Math.Round(warmup / w.Elapsed.TotalSeconds);
        }
        string objectsPath = $"/default/collections/{collection}/objects/";
        var envelopes = Envelopes(objects, batch, 0);
        var ingest = Stopwatch.StartNew();
        await IngestAsync(http, objectsPath, envelopes, clients);
        ingest.Stop();

        using var reader = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
        reader.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
        var passes = new List<double>();
        int count = 0;
        for (int r = 0; r < reads; r++)
        {
            var read = Stopwatch.StartNew();
            count = await ReadAllAsync(reader, objectsPath, page);
            passes.Add(read.Elapsed.TotalSeconds);
        }
        passes.Sort();
        double readSeconds = passes[passes.Count / 2];

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            objects,
            read_back = count,
            cold_ingest_objects_per_s = cold,
            ingest_seconds = Math.Round(ingest.Elapsed.TotalSeconds, 3),
            ingest_objects_per_s = Math.Round(objects / ingest.Elapsed.TotalSeconds),
            read_seconds = Math.Round(readSeconds, 3),
            read_objects_per_s = Math.Round(count / readSeconds),
        }));
        return count == objects ? 0 : 1;
    }

    /// <summary>Pages through the collection's latest versions; returns how many objects came back.</summary>
    private static async Task<int> ReadAllAsync(HttpClient http, string objectsPath, int page)
    {
        int count = 0;
        string next = $"{objectsPath}?limit={page}";
        while (true)
        {
            using var doc = JsonDocument.Parse(await http.GetStreamAsync(next));
            if (doc.RootElement.TryGetProperty("objects", out var arr))
            {
                count += arr.GetArrayLength();
            }
            if (!doc.RootElement.GetProperty("more").GetBoolean())
            {
                return count;
            }
            next = $"{objectsPath}?limit={page}&next={Uri.EscapeDataString(doc.RootElement.GetProperty("next").GetString()!)}";
        }
    }

    private static List<byte[]> Envelopes(int objects, int batch, int seed) =>
        [.. Enumerable.Range(0, (objects + batch - 1) / batch).Select(i => Generated.Envelope(seed + (i * batch), Math.Min(batch, objects - (i * batch))))];

    /// <summary>POSTs the envelopes and waits until every status is complete.</summary>
    private static async Task IngestAsync(HttpClient http, string objectsPath, List<byte[]> envelopes, int clients)
    {
        var statusIds = new List<string>();
        await Parallel.ForEachAsync(envelopes, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (body, ct) =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
            using var response = await http.PostAsync(objectsPath, content, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {text}");
            }
            lock (statusIds)
            {
                statusIds.Add(JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!);
            }
        });
        foreach (string id in statusIds)
        {
            while (true)
            {
                var s = JsonDocument.Parse(await http.GetStringAsync($"/default/status/{id}/")).RootElement;
                if (s.GetProperty("status").GetString() == "complete")
                {
                    break;
                }
                await Task.Delay(100);
            }
        }
    }
}
