using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Interop.Misp;

#pragma warning disable CA5351 // MISP's hashes.csv is MD5 by definition.

namespace Perisai.Interop.Tests.Misp;

/// <summary>The MISP feed layout, written from STIX and read back incrementally.</summary>
public sealed class MispFeedTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"perisai-feed-{Guid.NewGuid()}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<string> StixOfTheEvent()
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json")));
        var stix = MispToStix.Convert(doc.RootElement);
        // Plus indicators in no report, as a collection holds them.
        var loose = Enumerable.Range(1, 25).Select(i => new JsonObject
        {
            ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = $"indicator--00000000-0000-4000-8000-{i:D12}",
            ["created"] = "2026-11-01T00:00:00.000Z", ["modified"] = "2026-11-01T00:00:00.000Z", ["pattern"] = $"[domain-name:value = 'host{i}.example']",
            ["pattern_type"] = "stix", ["valid_from"] = "2026-11-01T00:00:00Z",
        });
        return [.. stix.Objects.Concat(loose).Select(o => o.ToJsonString())];
    }

    private static async IAsyncEnumerable<string> Stream(List<string> objects)
    {
        foreach (string o in objects)
        {
            await Task.Yield();
            yield return o;
        }
    }

    [Fact]
    public async Task The_feed_has_a_manifest_event_files_and_hashes_as_MISP_reads_them()
    {
        var objects = StixOfTheEvent();
        var result = await MispFeed.WriteAsync(() => Stream(objects), _dir, "ASEAN shared");
        Assert.Equal(2, result.Events);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "manifest.json")));
        var entries = manifest.RootElement.EnumerateObject().ToList();
        Assert.Equal(2, entries.Count);
        foreach (var e in entries)
        {
            Assert.True(Guid.TryParse(e.Name, out _));
            foreach (string key in new[] { "Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp" })
            {
                Assert.True(e.Value.TryGetProperty(key, out _), $"manifest entry lacks {key}");
            }
            Assert.Equal(JsonValueKind.Number, e.Value.GetProperty("timestamp").ValueKind);
            using var ev = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, e.Name + ".json")));
            Assert.Equal(e.Name, ev.RootElement.GetProperty("Event").GetProperty("uuid").GetString());
        }
        var wannacry = entries.Single(e => e.Name == "5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10");
        Assert.Equal(1494763200, wannacry.Value.GetProperty("timestamp").GetInt64());
        Assert.Equal("ASEAN shared", entries.Single(e => e.Name != wannacry.Name).Value.GetProperty("info").GetString());

        var hashes = File.ReadAllLines(Path.Combine(_dir, "hashes.csv"));
        string md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("host7.example")));
        Assert.Contains(hashes, h => h.StartsWith(md5 + ",", StringComparison.Ordinal));
        string killSwitch = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com")));
        Assert.Contains(killSwitch + ",5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10", hashes);
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_fetches_only_events_that_changed()
    {
        var objects = StixOfTheEvent();
        await MispFeed.WriteAsync(() => Stream(objects), _dir, "ASEAN shared");
        var seen = new Dictionary<string, long>();
        var problems = new List<string>();
        var first = new List<MispFeed.FeedEvent>();
        await foreach (var e in MispFeed.ReadAsync(_dir, seen, null, problems))
        {
            first.Add(e);
            seen[e.Uuid] = e.Timestamp;
        }
        Assert.Equal(2, first.Count);
        var again = new List<MispFeed.FeedEvent>();
        await foreach (var e in MispFeed.ReadAsync(_dir, seen, null, problems))
        {
            again.Add(e);
        }
        Assert.Empty(again);

        // The producer updates one event: only it comes again.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "manifest.json")))!.AsObject();
        manifest["5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10"]!["timestamp"] = 1494763200 + 60;
        File.WriteAllText(Path.Combine(_dir, "manifest.json"), manifest.ToJsonString());
        var changed = new List<MispFeed.FeedEvent>();
        await foreach (var e in MispFeed.ReadAsync(_dir, seen, null, problems))
        {
            changed.Add(e);
        }
        Assert.Equal("5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10", Assert.Single(changed).Uuid);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_feed_is_read_over_HTTP_on_loopback()
    {
        var objects = StixOfTheEvent();
        await MispFeed.WriteAsync(() => Stream(objects), _dir, "ASEAN shared");
        int port = FreePort();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/feed/");
        listener.Start();
        var requested = new List<string>();
        using var cts = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (System.Net.HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                string name = context.Request.Url!.AbsolutePath["/feed/".Length..];
                lock (requested)
                {
                    requested.Add(name);
                }
                string path = Path.Combine(_dir, name);
                context.Response.StatusCode = File.Exists(path) ? 200 : 404;
                if (File.Exists(path))
                {
                    await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(path));
                }
                context.Response.Close();
            }
        });
        using var http = new HttpClient();
        var seen = new Dictionary<string, long> { ["5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10"] = 1494763200 };
        var read = new List<MispFeed.FeedEvent>();
        var problems = new List<string>();
        await foreach (var e in MispFeed.ReadAsync($"http://127.0.0.1:{port}/feed/", seen, http, problems))
        {
            read.Add(e);
        }
        await cts.CancelAsync();
        listener.Stop();
        Assert.Single(read);
        Assert.Empty(problems);
        // The event already seen at its timestamp was not fetched at all.
        Assert.DoesNotContain("5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10.json", requested);
        Assert.Contains("manifest.json", requested);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task A_missing_event_file_is_reported_and_the_rest_still_read()
    {
        var objects = StixOfTheEvent();
        await MispFeed.WriteAsync(() => Stream(objects), _dir, "ASEAN shared");
        File.Delete(Path.Combine(_dir, "5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10.json"));
        var problems = new List<string>();
        var read = new List<MispFeed.FeedEvent>();
        await foreach (var e in MispFeed.ReadAsync(_dir, new Dictionary<string, long>(), null, problems))
        {
            read.Add(e);
        }
        Assert.Single(read);
        Assert.Contains(problems, p => p.Contains("5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10", StringComparison.Ordinal) && p.Contains("not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_directory_without_a_manifest_is_not_a_feed()
    {
        Directory.CreateDirectory(_dir);
        var ex = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var _ in MispFeed.ReadAsync(_dir, new Dictionary<string, long>(), null, []))
            {
            }
        });
        Assert.Contains("manifest.json", ex.Message, StringComparison.Ordinal);
    }
}
