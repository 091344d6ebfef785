using Perisai.Cli.Demo;
using Perisai.Storage;
using Perisai.Storage.Sqlite;

namespace Perisai.Cli.Tests.Federation;

/// <summary>
/// Two real <c>perisai serve</c> processes joined with <c>perisai peer invite</c> and <c>perisai peer join</c>; each
/// is killed with SIGKILL in the middle of a sync and started again: nothing acknowledged is lost, nothing is stored twice.
/// </summary>
[Collection("region")]
public sealed class PeerCrashTests
{
    private static async Task<List<StoredObject>> OursAsync(string dataDir, string collection, HashSet<string> ids)
    {
        await using var store = new SqliteStore(dataDir, TimeProvider.System);
        var all = new List<StoredObject>();
        long? after = null;
        while (true)
        {
            var page = await store.QueryObjectsAsync(new ObjectQuery(collection) { AddedAfter = after, Versions = VersionFilter.Every, Limit = 10_000 });
            all.AddRange(page.Items.Where(o => ids.Contains(o.Id)));
            if (!page.More)
            {
                return all;
            }
            after = page.Items[^1].DateAdded;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var until = TimeProvider.System.GetUtcNow() + patience;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < until, $"not within {patience.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Kill_9_of_either_node_during_a_sync_loses_nothing_acknowledged_and_duplicates_nothing()
    {
        string hubDir = PerisaiProcess.TempDir(), myDir = PerisaiProcess.TempDir();
        int hubPort = PerisaiProcess.FreePort(), myPort = PerisaiProcess.FreePort();
        var hub = await PerisaiProcess.StartOnPortAsync(hubPort, ["--data", hubDir], "--demo");
        var my = await PerisaiProcess.StartOnPortAsync(myPort, ["--data", myDir], "--demo");
        try
        {
            string asean = DemoData.CollectionId("asean");
            var invite = await PerisaiProcess.RunAsync("peer", "invite", "--name", "mycert", "--for", "MyCERT", "--collection", "asean",
                "--home", "ASEAN Regional CERT", "--url", hub.BaseUrl, "--data", hubDir);
            Assert.True(invite.Exit == 0, invite.Err);
            string token = invite.Out.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("perisai-peer1.", StringComparison.Ordinal));
            var join = await PerisaiProcess.RunAsync("peer", "join", token, "--name", "hub", "--home", "MyCERT", "--url", my.BaseUrl, "--data", myDir);
            Assert.True(join.Exit == 0, join.Err);
            Assert.Contains("1 collection(s) linked both ways", join.Out, StringComparison.Ordinal);

            // 1. The receiver is killed mid-sync.
            using (var client = hub.Client(hub.DemoKeys["brucert-analyst"]))
            {
                var first = Bulk.Ids(12_000);
                foreach (var chunk in first.Chunk(3_000))
                {
                    await Bulk.PostAsync(client, asean, chunk);
                }
                var ids = first.ToHashSet(StringComparer.Ordinal);
                await UntilAsync(async () => (await OursAsync(myDir, asean, ids)).Count > 0, TimeSpan.FromSeconds(120), "the first pages at MyCERT's node");
                my.Kill();
                int before = (await OursAsync(myDir, asean, ids)).Count;
                Assert.True(before < ids.Count, "the sync was over before the kill; the test needs more objects");
                await my.DisposeAsync();
                my = await PerisaiProcess.StartOnPortAsync(myPort, ["--data", myDir]);
                await UntilAsync(async () => (await OursAsync(myDir, asean, ids)).Count >= ids.Count, TimeSpan.FromSeconds(180), "MyCERT's node caught up");
                var got = await OursAsync(myDir, asean, ids);
                Assert.Equal(ids.Count, got.Count);
                Assert.Equal(ids.Count, got.Select(o => o.Id).Distinct().Count());
            }

            // 2. The sender is killed mid-sync.
            using (var client = hub.Client(hub.DemoKeys["brucert-analyst"]))
            {
                var second = Bulk.Ids(12_000);
                foreach (var chunk in second.Chunk(3_000))
                {
                    await Bulk.PostAsync(client, asean, chunk);
                }
                var ids = second.ToHashSet(StringComparer.Ordinal);
                await UntilAsync(async () => (await OursAsync(myDir, asean, ids)).Count > 0, TimeSpan.FromSeconds(120), "the first pages at MyCERT's node");
                hub.Kill();
                await hub.DisposeAsync();
                hub = await PerisaiProcess.StartOnPortAsync(hubPort, ["--data", hubDir]);
                await UntilAsync(async () => (await OursAsync(myDir, asean, ids)).Count >= ids.Count, TimeSpan.FromSeconds(180), "MyCERT's node received the rest");
                await Task.Delay(TimeSpan.FromSeconds(3));
                var got = await OursAsync(myDir, asean, ids);
                Assert.Equal(ids.Count, got.Count);
                Assert.Equal(ids.Count, got.Select(o => o.Id).Distinct().Count());
            }
        }
        finally
        {
            await my.DisposeAsync();
            await hub.DisposeAsync();
        }
    }
}
