using System.Net;
using System.Text;
using System.Text.Json;
using Perisai.Server.Auth;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Server.Tests.Sharing;

/// <summary>The trust rules of issue 3, each through the real pipeline.</summary>
public sealed class TrustTests
{
    private const string Indicator = "indicator--11111111-1111-4111-8111-111111111111";
    private const string Malware = "malware--22222222-2222-4222-8222-222222222222";
    private const string Relationship = "relationship--33333333-3333-4333-8333-333333333333";
    private const string Report = "report--44444444-4444-4444-8444-444444444444";

    private static string Obj(string id, string marking, string extra, string? recipients = null) =>
        $$"""{"type":"{{id[..id.IndexOf("--", StringComparison.Ordinal)]}}","spec_version":"2.1","id":"{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","object_marking_refs":["{{marking}}"]{{(recipients is null ? "" : $",\"x_perisai_recipients\":[\"{recipients}\"]")}},{{extra}}}""";

    internal static async Task<string> KeyAsync(IStixStore store, string org, string account, Role role)
    {
        var o = (await store.FindOrganizationAsync(org))!;
        var a = await store.AddAccountAsync(o.Id, account, role);
        var k = ApiKeys.Issue(a.Id, "t", TimeProvider.System);
        await store.AddApiKeyAsync(k.Record);
        return k.Secret;
    }

    [Fact]
    public async Task RelationshipToARedObject_IsInvisibleToAGreenReader_AndTheReportListsOnlyTheIndicator()
    {
        await using var node = await TestNode.StartAsync();
        // alpha writes: a GREEN indicator, a RED malware addressed to alpha only, the relationship between them (GREEN)
        // and a GREEN report on both. beta is in c1's community, so it is entitled to GREEN and nothing else.
        using var alpha = node.Client(node.AlphaKey);
        var post = await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(
            Obj(Indicator, TlpMarkings.Green, "\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\""),
            Obj(Malware, TlpMarkings.Red, "\"name\":\"secret\",\"is_family\":true"),
            Obj(Relationship, TlpMarkings.Green, $"\"relationship_type\":\"indicates\",\"source_ref\":\"{Indicator}\",\"target_ref\":\"{Malware}\""),
            Obj(Report, TlpMarkings.Green, $"\"name\":\"r\",\"published\":\"2026-01-01T00:00:00Z\",\"object_refs\":[\"{Indicator}\",\"{Malware}\"]")));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        using var beta = node.Client(node.BetaKey);
        var objects = JsonDocument.Parse(await beta.GetStringAsync("/default/collections/c1/objects/")).RootElement.GetProperty("objects");
        Assert.Equal([Indicator, Report], objects.EnumerateArray().Select(o => o.GetProperty("id").GetString()).Order());
        var report = objects.EnumerateArray().Single(o => o.GetProperty("id").GetString() == Report);
        Assert.Equal([Indicator], report.GetProperty("object_refs").EnumerateArray().Select(r => r.GetString()));
        // No side channel: the hidden ones are absent from the manifest and 404 by id, exactly like ids never stored.
        var manifest = JsonDocument.Parse(await beta.GetStringAsync("/default/collections/c1/manifest/")).RootElement.GetProperty("objects");
        Assert.Equal(2, manifest.GetArrayLength());
        foreach (string hidden in new[] { Malware, Relationship, "malware--99999999-9999-4999-8999-999999999999" })
        {
            var r = await beta.GetAsync($"/default/collections/c1/objects/{hidden}/");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Contains(TaxiiMessagesText.NoObject, await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/default/collections/c1/objects/{hidden}/versions/")).StatusCode);
        }

        // The producer sees all four, and the report whole.
        var own = JsonDocument.Parse(await alpha.GetStringAsync("/default/collections/c1/objects/")).RootElement.GetProperty("objects");
        Assert.Equal(4, own.GetArrayLength());
        Assert.Equal(2, own.EnumerateArray().Single(o => o.GetProperty("id").GetString() == Report).GetProperty("object_refs").GetArrayLength());
    }

    [Fact]
    public async Task Roles_AreEnforced_AndARevokedKeyStopsAtOnce()
    {
        await using var node = await TestNode.StartAsync();
        string reader = await KeyAsync(node.Store, "alpha", "alpha-reader", Role.Reader);
        string analyst = node.AlphaKey;
        using var r = node.Client(reader);
        // A reader cannot write.
        var post = await r.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(Obj(Indicator, TlpMarkings.Green, "\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"")));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("role may read but not write", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // An analyst cannot change trust or manage keys; only an admin manages keys.
        using var a = node.Client(analyst);
        var policy = await a.PutAsync("/api/v1/collections/c1/policy", Json("{\"default_tlp\":\"clear\"}"));
        Assert.Equal(HttpStatusCode.Forbidden, policy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsync("/api/v1/communities", Json("{\"name\":\"x\",\"definition\":\"y\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/api/v1/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/api/v1/audit")).StatusCode);
        // A lead of the owning organization may change the collection's trust.
        string lead = await KeyAsync(node.Store, "alpha", "alpha-lead", Role.Lead);
        using var l = node.Client(lead);
        Assert.Equal(HttpStatusCode.NoContent, (await l.PutAsync("/api/v1/collections/c1/policy", Json("{\"default_tlp\":\"amber\"}"))).StatusCode);
        Assert.Equal(TlpLevel.Amber, (await node.Store.GetCollectionAsync("c1"))!.DefaultTlp);

        // The admin issues and revokes a key; the revoked key fails on its very next request.
        using var admin = node.Client(node.AdminKey);
        var issued = await admin.PostAsync("/api/v1/keys", Json("{\"account\":\"alpha-analyst\",\"label\":\"second\"}"));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement;
        using var second = node.Client(body.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/default/collections/")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{body.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/default/collections/")).StatusCode);

        // Every change above is in the audit log, readable by the admin.
        var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?limit=1000")).RootElement.GetProperty("entries");
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("collection.policy", actions);
        Assert.Contains("key.add", actions);
        Assert.Contains("key.revoke", actions);
    }

    [Fact]
    public async Task PolicyPreview_ListsExactlyWhoWouldReadEachObject()
    {
        await using var node = await TestNode.StartAsync();
        var beta = (await node.Store.FindOrganizationAsync("beta"))!;
        var alpha = (await node.Store.FindOrganizationAsync("alpha"))!;
        using var a = node.Client(node.AlphaKey);
        string bundle = $$"""{"type":"bundle","id":"bundle--55555555-5555-4555-8555-555555555555","objects":[{{Obj(Indicator, TlpMarkings.Green, "\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"")}},{{Obj(Malware, TlpMarkings.Red, "\"name\":\"m\",\"is_family\":true")}}]}""";
        var response = await a.PostAsync("/api/v1/policy/preview?collection=c1", Json(bundle));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var objects = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("objects");
        string[] Audience(string id) => [.. objects.EnumerateArray().Single(o => o.GetProperty("id").GetString() == id).GetProperty("audience").EnumerateArray().Select(x => x.GetProperty("id").GetString()!).Order()];
        Assert.Equal(new[] { alpha.Id, beta.Id }.Order(), Audience(Indicator));
        Assert.Equal([alpha.Id], Audience(Malware));
        // Nothing was written.
        Assert.Empty((await node.Store.QueryObjectsAsync(new ObjectQuery("c1"))).Items);
    }

    [Fact]
    public async Task StatusOfAnotherOrganizationsPost_IsNotFound_EvenForTheAdmin()
    {
        await using var node = await TestNode.StartAsync();
        using var a = node.Client(node.AlphaKey);
        var post = await a.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(Obj(Malware, TlpMarkings.Red, "\"name\":\"m\",\"is_family\":true")));
        string id = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/default/status/{id}/")).StatusCode);
        using var b = node.Client(node.BetaKey);
        using var admin = node.Client(node.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/default/status/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/default/status/{id}/")).StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static class TaxiiMessagesText
    {
        public const string NoObject = "No object with this id matches the request in this collection.";
    }
}
