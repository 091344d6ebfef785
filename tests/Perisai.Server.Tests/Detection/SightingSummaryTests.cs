using System.Net;
using System.Text.Json;
using Perisai.Storage;

namespace Perisai.Server.Tests.Detection;

/// <summary>GET /api/v1/sightings/summary: sightings per indicator and per country, under the sharing policy.</summary>
public sealed class SightingSummaryTests
{
    private const string Indicator = "indicator--0d8b7b43-0000-4000-8000-000000000001";

    private static string Sighting(string id, string where, int count, string lastSeen, string extra = "") =>
        $$"""{"type":"sighting","spec_version":"2.1","id":"{{id}}","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","sighting_of_ref":"{{Indicator}}","count":{{count}},"first_seen":"2026-11-29T09:00:00.000Z","last_seen":"{{lastSeen}}","where_sighted_refs":["{{where}}"]{{extra}}}""";

    [Fact]
    public async Task Summary_AggregatesPerIndicatorAndCountry_AndShowsNothingToThoseWhoCannotSeeIt()
    {
        Organization? my = null, sg = null;
        await using var node = await TestNode.StartAsync(beforeStart: async store =>
        {
            my = await store.AddOrganizationAsync("MyCERT", "MY", OrgKind.NationalCert);
            sg = await store.AddOrganizationAsync("SingCERT", "SG", OrgKind.NationalCert);
        });
        using var alpha = node.Client(node.AlphaKey);
        var post = await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(
            TestNode.Indicator(Indicator),
            Sighting("sighting--0d8b7b43-0000-4000-8000-00000000000a", my!.Id, 5, "2026-11-29T10:00:00.000Z"),
            Sighting("sighting--0d8b7b43-0000-4000-8000-00000000000b", my.Id, 2, "2026-11-29T11:00:00.000Z"),
            Sighting("sighting--0d8b7b43-0000-4000-8000-00000000000c", sg!.Id, 1, "2026-11-29T10:30:00.000Z"),
            // TLP:RED for its producer alone: beta must not count it.
            Sighting("sighting--0d8b7b43-0000-4000-8000-00000000000d", sg.Id, 100, "2026-11-29T12:00:00.000Z",
                ",\"object_marking_refs\":[\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\"]")));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        await WaitAsync(alpha);

        using var beta = node.Client(node.BetaKey);
        var summary = JsonDocument.Parse(await beta.GetStringAsync("/api/v1/sightings/summary")).RootElement.GetProperty("indicators");
        var one = Assert.Single(summary.EnumerateArray());
        Assert.Equal(Indicator, one.GetProperty("indicator").GetString());
        Assert.Equal(8, one.GetProperty("count").GetInt64());
        Assert.Equal(3, one.GetProperty("sightings").GetInt64());
        Assert.Equal(2, one.GetProperty("countries").GetInt32());
        Assert.Equal(7, one.GetProperty("by_country").GetProperty("MY").GetInt64());
        Assert.Equal(1, one.GetProperty("by_country").GetProperty("SG").GetInt64());
        Assert.Equal("2026-11-29T11:00:00.000Z", one.GetProperty("last_seen").GetString());

        // The producer sees its RED sighting too.
        var mine = JsonDocument.Parse(await alpha.GetStringAsync($"/api/v1/sightings/summary?indicator={Indicator}")).RootElement.GetProperty("indicators")[0];
        Assert.Equal(108, mine.GetProperty("count").GetInt64());

        // The administrator's organization reads no collection holding it: nothing, not even that it exists.
        using var admin = node.Client(node.AdminKey);
        Assert.Equal(0, JsonDocument.Parse(await admin.GetStringAsync("/api/v1/sightings/summary")).RootElement.GetProperty("indicators").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Client(null).GetAsync("/api/v1/sightings/summary")).StatusCode);
    }

    private static async Task WaitAsync(HttpClient client)
    {
        for (int i = 0; i < 100; i++)
        {
            var body = JsonDocument.Parse(await client.GetStringAsync("/default/collections/c1/objects/?match[type]=sighting&match[version]=all")).RootElement;
            if (body.TryGetProperty("objects", out var o) && o.GetArrayLength() == 4)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the sightings were not stored");
    }
}
