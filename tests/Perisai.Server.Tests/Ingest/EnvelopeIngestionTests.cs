using System.Net;
using System.Text;
using System.Text.Json;
using Perisai.Storage;

namespace Perisai.Server.Tests.Ingest;

/// <summary>Large envelopes complete in the background; hostile bodies get a clear error and write nothing.</summary>
public sealed class EnvelopeIngestionTests
{
    private static string Indicators(int n) =>
        string.Join(",", Enumerable.Range(0, n).Select(_ => TestNode.Indicator($"indicator--{Guid.NewGuid()}")));

    private static async Task<JsonElement> PollAsync(HttpClient client, string statusId)
    {
        for (int i = 0; i < 200; i++)
        {
            var s = await TestNode.JsonAsync(await client.GetAsync($"/default/status/{statusId}/"));
            if (s.GetProperty("status").GetString() == "complete")
            {
                return s;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the envelope did not complete in 10 s");
    }

    [Fact]
    public async Task AddObjects_LargeEnvelope_IsPendingThenComplete()
    {
        await using var node = await TestNode.StartAsync(o => o.SynchronousIngestLimit = 10);
        var client = node.Client(node.AlphaKey);
        var response = await client.PostAsync("/default/collections/c1/objects/", TestNode.Body($"{{\"objects\":[{Indicators(50)}]}}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var status = await TestNode.JsonAsync(response);
        Assert.Equal("pending", status.GetProperty("status").GetString());
        Assert.Equal(50, status.GetProperty("pending_count").GetInt32());
        Assert.Equal(50, status.GetProperty("pendings").GetArrayLength());

        var done = await PollAsync(client, status.GetProperty("id").GetString()!);
        Assert.Equal(50, done.GetProperty("success_count").GetInt32());
        Assert.Equal(50, done.GetProperty("successes").GetArrayLength());
        Assert.Equal(0, done.GetProperty("pending_count").GetInt32());
        var objects = await TestNode.JsonAsync(await client.GetAsync("/default/collections/c1/objects/"));
        Assert.Equal(50, objects.GetProperty("objects").GetArrayLength());
    }

    [Fact]
    public async Task AddObjects_LargeEnvelopeWithInvalidObject_FinalStatusReportsTheFailure()
    {
        await using var node = await TestNode.StartAsync(o => o.SynchronousIngestLimit = 2);
        var client = node.Client(node.AlphaKey);
        string bad = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--00000000-0000-4000-8000-000000000002\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\"}";
        var response = await client.PostAsync("/default/collections/c1/objects/", TestNode.Body($"{{\"objects\":[{Indicators(3)},{bad}]}}"));
        var status = await TestNode.JsonAsync(response);
        // Validated on acceptance: the failure is reported at once, the three valid objects are pending.
        Assert.Equal(3, status.GetProperty("pending_count").GetInt32());
        Assert.Equal(1, status.GetProperty("failure_count").GetInt32());
        var done = await PollAsync(client, status.GetProperty("id").GetString()!);
        Assert.Equal(3, done.GetProperty("success_count").GetInt32());
        Assert.Equal(1, done.GetProperty("failure_count").GetInt32());
        Assert.Equal(4, done.GetProperty("total_count").GetInt32());
        Assert.Contains("$.objects[3].pattern", done.GetProperty("failures")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_BeyondTheListLimit_KeepsExactCountsAndAllFailures()
    {
        await using var node = await TestNode.StartAsync(o => { o.SynchronousIngestLimit = 5; o.StatusListLimit = 10; });
        var client = node.Client(node.AlphaKey);
        string bad = "{\"type\":\"tool\",\"spec_version\":\"2.1\",\"id\":\"tool--00000000-0000-4000-8000-000000000003\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\"}";
        var status = await TestNode.JsonAsync(await client.PostAsync("/default/collections/c1/objects/", TestNode.Body($"{{\"objects\":[{Indicators(20)},{bad}]}}")));
        Assert.False(status.TryGetProperty("pendings", out _));
        var done = await PollAsync(client, status.GetProperty("id").GetString()!);
        Assert.Equal(20, done.GetProperty("success_count").GetInt32());
        Assert.False(done.TryGetProperty("successes", out _));
        Assert.Equal(1, done.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public async Task Start_WithEnvelopeAcknowledgedBeforeACrash_AppliesIt()
    {
        string body = $"{{\"objects\":[{Indicators(3)}]}}";
        await using var node = await TestNode.StartAsync(beforeStart: async store =>
        {
            var admin = await store.FindAccountAsync("admin");
            await store.AcceptEnvelopeAsync(new StatusRecord("s-crash", "default", "c1", admin!.Id, "pending", 1, 3, 0, 0, 3, "{\"successes\":[],\"failures\":[],\"pendings\":[]}"),
                new PendingEnvelope("s-crash", "c1", body));
        });
        var done = await PollAsync(node.Client(node.AdminKey), "s-crash");
        Assert.Equal(3, done.GetProperty("success_count").GetInt32());
        Assert.Empty(await node.Store.ListPendingEnvelopesAsync());
    }

    [Theory]
    [InlineData("{\"objects\":[", 400, "malformed-json")]
    [InlineData("not json at all", 400, "malformed-json")]
    [InlineData("[1,2,3]", 422, "wrong-top-level")]
    [InlineData("{\"objects\":{}}", 422, "wrong-json-type")]
    [InlineData("{\"type\":\"indicator\"}", 422, "wrong-top-level")]
    public async Task AddObjects_BrokenBody_GetsOneClearErrorAndWritesNothing(string body, int status, string code)
    {
        await using var node = await TestNode.StartAsync();
        var client = node.Client(node.AlphaKey);
        var response = await client.PostAsync("/default/collections/c1/objects/", TestNode.Body(body));
        Assert.Equal(status, (int)response.StatusCode);
        var error = await TestNode.JsonAsync(response);
        Assert.Equal(code, error.GetProperty("details").GetProperty("code").GetString());
        Assert.Empty((await node.Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items);
    }

    [Fact]
    public async Task AddObjects_DeepNesting_IsRejectedQuickly()
    {
        await using var node = await TestNode.StartAsync(o => o.MaxContentLength = 64L * 1024 * 1024);
        // 10 MB of '[' would take a naive recursive parser's stack; the depth limit stops it at 64 levels.
        var body = new StringBuilder("{\"objects\":[").Append('[', 10_000_000).ToString();
        var response = await node.Client(node.AlphaKey).PostAsync("/default/collections/c1/objects/", TestNode.Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too-deep", (await TestNode.JsonAsync(response)).GetProperty("details").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AddObjects_OverTheSizeLimit_Is413()
    {
        await using var node = await TestNode.StartAsync(o => o.MaxContentLength = 1024);
        var response = await node.Client(node.AlphaKey).PostAsync("/default/collections/c1/objects/", TestNode.Body($"{{\"objects\":[{Indicators(20)}]}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("413", (await TestNode.JsonAsync(response)).GetProperty("http_status").GetString());
    }

    [Fact]
    public async Task AddObjects_ScoWithoutId_GetsItsDeterministicId()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.Client(node.AlphaKey);
        var status = await TestNode.JsonAsync(await client.PostAsync("/default/collections/c1/objects/",
            TestNode.Envelope("""{"type":"ipv4-addr","value":"198.51.100.3"}""")));
        // STIX 2.1 §2.9 example: this is the id of ipv4-addr 198.51.100.3.
        Assert.Equal("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", status.GetProperty("successes")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task AddObjects_NewVersionOfRevokedObject_IsAFailure()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.Client(node.AlphaKey);
        const string id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
        await client.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(TestNode.Indicator(id, extra: ",\"revoked\":true")));
        var status = await TestNode.JsonAsync(await client.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(TestNode.Indicator(id, "2026-05-01T00:00:00.000Z"))));
        Assert.Equal(1, status.GetProperty("failure_count").GetInt32());
        Assert.Contains("revoked", status.GetProperty("failures")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddObjects_CustomPropertiesAndObjects_SurviveUntouched()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.Client(node.AlphaKey);
        string custom = """{"type":"x-perisai-drill","spec_version":"2.1","id":"x-perisai-drill--4527e5de-8572-446a-a57a-706f15467461","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","x_inject":{"nested":[1,2.5,"three"]}}""";
        string withProp = TestNode.Indicator("indicator--1a3f1b7d-6f0e-4e4c-9d1b-5e7c0c1a2b3c", extra: ",\"x_acid_scenario\":\"ACID 2026\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"clear\"}}");
        await client.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(custom, withProp));
        var objects = (await TestNode.JsonAsync(await client.GetAsync("/default/collections/c1/objects/"))).GetProperty("objects");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(custom).RootElement, objects[0]));
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(withProp).RootElement, objects[1]));
    }
}
