using System.Net;
using System.Text;
using System.Text.Json;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Server.Tests.Sharing;

/// <summary>
/// The leaks a probe of every exit found (issue 15), each reproduced through the real pipeline: a peer's sync key
/// receiving TLP:RED, and policy preview answering for an object its caller may not see.
/// </summary>
public sealed class LeakRegressionTests
{
    private const string Green = "indicator--aaaaaaaa-1111-4111-8111-111111111111";
    private const string Red = "indicator--bbbbbbbb-2222-4222-8222-222222222222";
    private const string HiddenMalware = "malware--cccccccc-3333-4333-8333-333333333333";
    private const string NeverStored = "malware--dddddddd-4444-4444-8444-444444444444";

    private static string Indicator(string id, string marking, string extra = "") =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":["{{marking}}"]{{extra}}}""";

    [Fact]
    public async Task A_sync_key_never_receives_TLP_RED_objects_or_RED_parts_even_of_its_own_organization()
    {
        await using var node = await TestNode.StartAsync();
        using var alpha = node.Client(node.AlphaKey);
        // alpha's own: a RED indicator, and a GREEN one whose description is RED.
        var post = await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(
            Indicator(Red, TlpMarkings.Red),
            Indicator(Green, TlpMarkings.Green, $$""","description":"victim is the ministry of finance","granular_markings":[{"marking_ref":"{{TlpMarkings.Red}}","selectors":["description"]}]""")));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        // The producer's analyst, on the node, receives both whole.
        var own = JsonDocument.Parse(await alpha.GetStringAsync("/default/collections/c1/objects/")).RootElement.GetProperty("objects");
        Assert.Equal([Green, Red], own.EnumerateArray().Select(o => o.GetProperty("id").GetString()).Order());
        Assert.Contains("ministry of finance", own.GetRawText(), StringComparison.Ordinal);

        // A sync key of the same organization is a peer node reading: RED never leaves, whole or in part.
        using var sync = node.Client(await TrustTests.KeyAsync(node.Store, "alpha", "alpha-peer", Role.Sync));
        string body = await sync.GetStringAsync("/default/collections/c1/objects/?match[version]=all");
        var objects = JsonDocument.Parse(body).RootElement.GetProperty("objects");
        Assert.Equal([Green], objects.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.DoesNotContain("ministry of finance", body, StringComparison.Ordinal);
        Assert.False(objects[0].TryGetProperty("description", out _));
        Assert.False(objects[0].TryGetProperty("granular_markings", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await sync.GetAsync($"/default/collections/c1/objects/{Red}/")).StatusCode);
        Assert.DoesNotContain(Red, await sync.GetStringAsync("/default/collections/c1/manifest/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_preview_treats_an_object_its_caller_may_not_see_exactly_as_one_never_stored()
    {
        await using var node = await TestNode.StartAsync();
        using var alpha = node.Client(node.AlphaKey);
        // alpha's RED malware, addressed to no one: beta may not see it, nor learn that it exists.
        var post = await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(
            $$"""{"type":"malware","spec_version":"2.1","id":"{{HiddenMalware}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"secret","is_family":true,"object_marking_refs":["{{TlpMarkings.Red}}"]}""",
            Indicator(Green, TlpMarkings.Green)));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        using var beta = node.Client(node.BetaKey);
        async Task<string> PreviewAsync(string target)
        {
            string relationship = $$"""{"type":"relationship","spec_version":"2.1","id":"relationship--eeeeeeee-5555-4555-8555-555555555555","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"{{Green}}","target_ref":"{{target}}","object_marking_refs":["{{TlpMarkings.Green}}"]}""";
            var response = await beta.PostAsync("/api/v1/policy/preview?collection=c1", new StringContent(relationship, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadAsStringAsync()).Replace(target, "TARGET", StringComparison.Ordinal);
        }
        string hidden = await PreviewAsync(HiddenMalware), unknown = await PreviewAsync(NeverStored);
        // Before the fix the hidden one answered with alpha as its audience and without the "on no collection" note.
        Assert.Equal(unknown, hidden);
        var entry = JsonDocument.Parse(hidden).RootElement.GetProperty("objects")[0];
        Assert.Equal(0, entry.GetProperty("audience").GetArrayLength());
        Assert.Contains(entry.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("on no collection of this node", StringComparison.Ordinal));

        // alpha, who may see its malware, is answered from what it sees: beta may not see the target, so alpha alone.
        using var alphaPreview = await alpha.PostAsync("/api/v1/policy/preview?collection=c1", new StringContent(
            $$"""{"type":"relationship","spec_version":"2.1","id":"relationship--eeeeeeee-5555-4555-8555-555555555555","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"{{Green}}","target_ref":"{{HiddenMalware}}","object_marking_refs":["{{TlpMarkings.Green}}"]}""",
            Encoding.UTF8, "application/json"));
        var alphaEntry = JsonDocument.Parse(await alphaPreview.Content.ReadAsStringAsync()).RootElement.GetProperty("objects")[0];
        Assert.Equal(1, alphaEntry.GetProperty("audience").GetArrayLength());
    }
}
