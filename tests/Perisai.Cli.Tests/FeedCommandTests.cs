using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary>Scheduled feeds: the server runs them, records each run, and one failing feed does not hold up another.</summary>
public sealed class FeedCommandTests
{
    [Fact]
    public async Task The_server_runs_due_feeds_records_each_run_and_a_broken_feed_fails_alone()
    {
        string dir = PerisaiProcess.TempDir();
        string data = Path.Combine(dir, "data");
        string feed = Path.Combine(dir, "feed");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("org", "add", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "add", "--title", "Source", "--alias", "source", "--owner", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "add", "--title", "Mirror", "--alias", "mirror", "--owner", "MyCERT", "--data", data)).Exit);
        string misp = Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("import", misp, "--collection", "source", "--as", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("export", "--collection", "source", "--as", "MyCERT", "--format", "misp-feed", "--out", feed, "--data", data)).Exit);

        // A broken feed first in name order, so the good one runs after it fails.
        Assert.Equal(0, (await PerisaiProcess.RunAsync("feed", "add", Path.Combine(dir, "nowhere"), "--name", "a-broken", "--format", "misp-feed", "--collection", "mirror", "--as", "MyCERT", "--every", "1h", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("feed", "add", feed, "--name", "b-partner", "--format", "misp-feed", "--collection", "mirror", "--as", "MyCERT", "--every", "1h", "--data", data)).Exit);
        var bad = await PerisaiProcess.RunAsync("feed", "add", feed, "--name", "c", "--format", "rss", "--collection", "mirror", "--data", data);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("unknown feed format", bad.Err, StringComparison.Ordinal);

        await using (var node = await PerisaiProcess.StartAsync(data))
        {
            using var client = node.Client();
            JsonElement feeds = default;
            for (int i = 0; i < 120; i++)
            {
                var response = await client.GetAsync(new Uri("/api/v1/feeds", UriKind.Relative));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                feeds = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("feeds");
                if (feeds.EnumerateArray().All(f => f.GetProperty("runs").GetInt64() >= 1))
                {
                    break;
                }
                await Task.Delay(500);
            }
            var broken = feeds.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "a-broken");
            var partner = feeds.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "b-partner");
            Assert.Equal(1, broken.GetProperty("failures").GetInt64());
            Assert.Contains("manifest.json", broken.GetProperty("last_error").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, partner.GetProperty("failures").GetInt64());
            // The event's 28 objects, and the MISP property extension's definition and its publisher.
            Assert.Equal(30, partner.GetProperty("last_added").GetInt64());
            Assert.False(partner.TryGetProperty("last_error", out _));
            Assert.True(partner.TryGetProperty("last_run", out _));
        }

        // Run again by hand: the feed's state says nothing changed, so nothing is fetched.
        var again = await PerisaiProcess.RunAsync("feed", "run", "b-partner", "--data", data);
        Assert.True(again.Exit == 0, again.Out + again.Err);
        Assert.Contains("0 added, 0 unchanged", again.Out, StringComparison.Ordinal);
        var list = JsonDocument.Parse((await PerisaiProcess.RunAsync("feed", "list", "--json", "--data", data)).Out).RootElement;
        Assert.Equal(2, list.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "b-partner").GetProperty("runs").GetInt64());
        Assert.Equal(0, (await PerisaiProcess.RunAsync("feed", "remove", "a-broken", "--data", data)).Exit);
        Assert.Single(JsonDocument.Parse((await PerisaiProcess.RunAsync("feed", "list", "--json", "--data", data)).Out).RootElement.EnumerateArray());
    }
}
