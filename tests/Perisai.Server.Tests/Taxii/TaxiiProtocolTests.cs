using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Perisai.Server.Tests.Taxii;

/// <summary>TAXII 2.1 conformance, endpoint by endpoint, on the real pipeline in memory.</summary>
public sealed class TaxiiProtocolTests : IAsyncLifetime
{
    private TestNode _node = null!;

    private const string A = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string B = "indicator--1a3f1b7d-6f0e-4e4c-9d1b-5e7c0c1a2b3c";

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static async Task<JsonElement> PostAsync(HttpClient client, string collection, params string[] objects)
    {
        var response = await client.PostAsync($"/default/collections/{collection}/objects/", TestNode.Envelope(objects));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await TestNode.JsonAsync(response);
    }

    [Fact]
    public async Task Discovery_WithoutCredentials_Is401WithTaxiiErrorAndChallenge()
    {
        var response = await _node.Client(null).GetAsync("/taxii2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(TestNode.Taxii, TestNode.TypeOf(response));
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var error = await TestNode.JsonAsync(response);
        Assert.Equal("401", error.GetProperty("http_status").GetString());
        Assert.Equal("Authentication required", error.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("Bearer perisai_0000000000000000_nope")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Digest abc")]
    public async Task Discovery_WithBadCredentials_Is401(string header)
    {
        var client = _node.Client(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/taxii2/")).StatusCode);
    }

    [Fact]
    public async Task Discovery_WithRevokedKey_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _node.Client(_node.RevokedKey).GetAsync("/taxii2/")).StatusCode);
    }

    [Fact]
    public async Task Discovery_WithBasicAuth_ListsApiRoots()
    {
        var client = _node.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alpha-analyst:" + _node.AlphaKey)));
        var response = await client.GetAsync("/taxii2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = await TestNode.JsonAsync(response);
        Assert.Equal("Perisai", d.GetProperty("title").GetString());
        Assert.Equal(["http://localhost/default/", "http://localhost/second/"], d.GetProperty("api_roots").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("http://localhost/default/", d.GetProperty("default").GetString());
    }

    [Fact]
    public async Task Discovery_BasicAuthWithAnotherAccountsName_Is401()
    {
        var client = _node.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + _node.AlphaKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/taxii2/")).StatusCode);
    }

    [Theory]
    [InlineData("text/html", HttpStatusCode.NotAcceptable)]
    [InlineData("application/taxii+json;version=2.0", HttpStatusCode.NotAcceptable)]
    [InlineData("application/taxii+json", HttpStatusCode.OK)]
    [InlineData("application/taxii+json;version=2.1", HttpStatusCode.OK)]
    [InlineData("*/*", HttpStatusCode.OK)]
    public async Task ApiRoot_AcceptHeader_IsNegotiated(string accept, HttpStatusCode expected)
    {
        var client = _node.Client(_node.AlphaKey);
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var response = await client.GetAsync("/default/");
        Assert.Equal(expected, response.StatusCode);
        Assert.StartsWith("application/taxii+json", TestNode.TypeOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiRoot_Resource_HasVersionsAndMaxContentLength()
    {
        var r = await TestNode.JsonAsync(await _node.Client(_node.AlphaKey).GetAsync("/default/"));
        Assert.Equal("Default root", r.GetProperty("title").GetString());
        Assert.Equal([TestNode.Taxii], r.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(_node.Options.MaxContentLength, r.GetProperty("max_content_length").GetInt64());
    }

    [Fact]
    public async Task ApiRoot_Unknown_Is404TaxiiError()
    {
        var response = await _node.Client(_node.AlphaKey).GetAsync("/nope/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404", (await TestNode.JsonAsync(response)).GetProperty("http_status").GetString());
    }

    [Fact]
    public async Task Collections_ShowOnlyWhatTheOrganizationMaySee_WithItsRights()
    {
        var alpha = await TestNode.JsonAsync(await _node.Client(_node.AlphaKey).GetAsync("/default/collections/"));
        var c = Assert.Single(alpha.GetProperty("collections").EnumerateArray());
        Assert.Equal("c1", c.GetProperty("id").GetString());
        Assert.True(c.GetProperty("can_write").GetBoolean());
        Assert.Equal(["application/stix+json;version=2.1"], c.GetProperty("media_types").EnumerateArray().Select(m => m.GetString()));
        var beta = await TestNode.JsonAsync(await _node.Client(_node.BetaKey).GetAsync("/default/collections/c1/"));
        Assert.True(beta.GetProperty("can_read").GetBoolean());
        Assert.False(beta.GetProperty("can_write").GetBoolean());
        // Administering the node gives no right to its intelligence: the operator's account sees what its organization
        // may see, c2 which it owns, and not c1.
        var admin = await TestNode.JsonAsync(await _node.Client(_node.AdminKey).GetAsync("/default/collections/"));
        Assert.Equal(["c2"], admin.GetProperty("collections").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Collection_ByAlias_IsTheSameCollection()
    {
        await PostAsync(_node.Client(_node.AlphaKey), "one", TestNode.Indicator(A));
        var byId = await TestNode.JsonAsync(await _node.Client(_node.AlphaKey).GetAsync("/default/collections/c1/objects/"));
        Assert.Equal(A, byId.GetProperty("objects")[0].GetProperty("id").GetString());
        var collection = await TestNode.JsonAsync(await _node.Client(_node.AlphaKey).GetAsync("/default/collections/one/"));
        Assert.Equal("c1", collection.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Collection_NotGranted_Is404NotForbidden()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Client(_node.AlphaKey).GetAsync("/default/collections/c2/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Client(_node.AlphaKey).GetAsync("/default/collections/c2/objects/")).StatusCode);
        // A collection of another API root is not reachable through this one.
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Client(_node.AdminKey).GetAsync("/default/collections/c3/")).StatusCode);
    }

    [Fact]
    public async Task AddObjects_ReadOnlyOrganization_Is403()
    {
        var response = await _node.Client(_node.BetaKey).PostAsync("/default/collections/c1/objects/", TestNode.Envelope(TestNode.Indicator(A)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Your organization may not write to this collection.", (await TestNode.JsonAsync(response)).GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/taxii+json;version=2.0")]
    public async Task AddObjects_WrongContentType_Is415(string contentType)
    {
        var content = new StringContent($"{{\"objects\":[{TestNode.Indicator(A)}]}}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await _node.Client(_node.AlphaKey).PostAsync("/default/collections/c1/objects/", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task AddObjects_ValidAndInvalid_StatusReportsEachWithReason()
    {
        string bad = """{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000001","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""";
        var status = await PostAsync(_node.Client(_node.AlphaKey), "c1", TestNode.Indicator(A), bad);
        Assert.Equal("complete", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("total_count").GetInt32());
        Assert.Equal(1, status.GetProperty("success_count").GetInt32());
        Assert.Equal(1, status.GetProperty("failure_count").GetInt32());
        Assert.Equal(0, status.GetProperty("pending_count").GetInt32());
        var failure = Assert.Single(status.GetProperty("failures").EnumerateArray());
        Assert.Equal("indicator--00000000-0000-4000-8000-000000000001", failure.GetProperty("id").GetString());
        Assert.Contains("required-property at $.objects[1].pattern", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        var success = Assert.Single(status.GetProperty("successes").EnumerateArray());
        Assert.Equal("2026-01-01T00:00:00.000Z", success.GetProperty("version").GetString());

        // The same status is served by the status endpoint.
        var again = await TestNode.JsonAsync(await _node.Client(_node.AlphaKey).GetAsync($"/default/status/{status.GetProperty("id").GetString()}/"));
        Assert.Equal(1, again.GetProperty("failure_count").GetInt32());
    }

    [Fact]
    public async Task AddObjects_SameEnvelopeTwice_IsIdempotent()
    {
        var client = _node.Client(_node.AlphaKey);
        await PostAsync(client, "c1", TestNode.Indicator(A), TestNode.Indicator(B));
        var second = await PostAsync(client, "c1", TestNode.Indicator(A), TestNode.Indicator(B));
        Assert.Equal(2, second.GetProperty("success_count").GetInt32());
        var objects = await TestNode.JsonAsync(await client.GetAsync("/default/collections/c1/objects/?match[version]=all"));
        Assert.Equal(2, objects.GetProperty("objects").GetArrayLength());
    }

    [Fact]
    public async Task Status_OfAnotherOrganization_Is404()
    {
        var status = await PostAsync(_node.Client(_node.AlphaKey), "c1", TestNode.Indicator(A));
        var response = await _node.Client(_node.BetaKey).GetAsync($"/default/status/{status.GetProperty("id").GetString()}/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetObjects_Filters_MatchTheSpecification()
    {
        var client = _node.Client(_node.AlphaKey);
        await PostAsync(client, "c1", TestNode.Indicator(A, "2026-01-01T00:00:00.000Z"), TestNode.Indicator(B));
        await PostAsync(client, "c1", TestNode.Indicator(A, "2026-02-01T00:00:00.000Z"),
            """{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}""");

        async Task<string[]> Ids(string query) =>
            [.. (await TestNode.JsonAsync(await client.GetAsync("/default/collections/c1/objects/" + query)))
                .TryGetProperty("objects", out var o) ? o.EnumerateArray().Select(x => x.GetProperty("id").GetString()! + "@" + (x.TryGetProperty("modified", out var m) ? m.GetString() : "-")) : []];

        Assert.Equal([$"{B}@2026-01-01T00:00:00.000Z", $"{A}@2026-02-01T00:00:00.000Z", "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd@-"], await Ids(""));
        Assert.Equal(["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd@-"], await Ids("?match[type]=ipv4-addr"));
        Assert.Equal([$"{A}@2026-01-01T00:00:00.000Z"], await Ids($"?match[id]={A}&match[version]=first"));
        Assert.Equal(2, (await Ids($"?match[id]={A}&match[version]=all")).Length);
        Assert.Equal([$"{A}@2026-01-01T00:00:00.000Z"], await Ids($"?match[id]={A}&match[version]=2026-01-01T00:00:00Z"));
        Assert.Equal(2, (await Ids($"?match[id]={A},{B}")).Length);
        Assert.Equal(3, (await Ids("?match[spec_version]=2.1")).Length);
        Assert.Empty(await Ids("?match[spec_version]=2.0"));
        Assert.Equal(3, (await Ids("?match[unknown_field]=x")).Length);
    }

    [Fact]
    public async Task GetObjects_LimitAndNext_PageExactlyWithHeaders()
    {
        var client = _node.Client(_node.AlphaKey);
        var ids = Enumerable.Range(0, 7).Select(_ => $"indicator--{Guid.NewGuid()}").ToList();
        await PostAsync(client, "c1", [.. ids.Select(id => TestNode.Indicator(id))]);
        var seen = new List<string>();
        string url = "/default/collections/c1/objects/?limit=3";
        string? lastHeader = null;
        int pages = 0;
        while (true)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var env = await TestNode.JsonAsync(response);
            var objs = env.GetProperty("objects").EnumerateArray().ToList();
            Assert.True(objs.Count <= 3);
            seen.AddRange(objs.Select(o => o.GetProperty("id").GetString()!));
            string first = response.Headers.GetValues("X-TAXII-Date-Added-First").Single();
            lastHeader = response.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
            Assert.True(string.CompareOrdinal(first, lastHeader) <= 0);
            pages++;
            if (!env.GetProperty("more").GetBoolean())
            {
                Assert.False(env.TryGetProperty("next", out _));
                break;
            }
            url = $"/default/collections/c1/objects/?limit=3&next={Uri.EscapeDataString(env.GetProperty("next").GetString()!)}";
        }
        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);

        // added_after with the last header continues after everything seen (§3.5).
        var after = await TestNode.JsonAsync(await client.GetAsync($"/default/collections/c1/objects/?added_after={lastHeader}"));
        Assert.False(after.TryGetProperty("objects", out _));
        Assert.False(after.GetProperty("more").GetBoolean());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=-1")]
    [InlineData("?limit=abc")]
    [InlineData("?added_after=yesterday")]
    [InlineData("?added_after=2026-01-01T00:00:00Z&added_after=2026-01-02T00:00:00Z")]
    [InlineData("?next=forged")]
    [InlineData("?match[version]=all,last")]
    [InlineData("?match[version]=last,last")]
    [InlineData("?match[version]=2016-13-01T00:00:00Z")]
    [InlineData("?match[type]=indicator&match[type]=malware")]
    [InlineData("?match[id]=")]
    public async Task GetObjects_MalformedQuery_Is400(string query)
    {
        var response = await _node.Client(_node.AlphaKey).GetAsync("/default/collections/c1/objects/" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await TestNode.JsonAsync(response);
        Assert.Equal("400", error.GetProperty("http_status").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Manifest_ListsIdDateAddedVersionAndMediaType()
    {
        var client = _node.Client(_node.AlphaKey);
        await PostAsync(client, "c1", TestNode.Indicator(A, "2026-01-01T00:00:00.000Z"), TestNode.Indicator(A, "2026-03-01T00:00:00.000Z"));
        var response = await client.GetAsync("/default/collections/c1/manifest/");
        Assert.True(response.Headers.Contains("X-TAXII-Date-Added-First"));
        var m = Assert.Single((await TestNode.JsonAsync(response)).GetProperty("objects").EnumerateArray());
        Assert.Equal(A, m.GetProperty("id").GetString());
        Assert.Equal("2026-03-01T00:00:00.000Z", m.GetProperty("version").GetString());
        Assert.Equal("application/stix+json;version=2.1", m.GetProperty("media_type").GetString());
        Assert.EndsWith("Z", m.GetProperty("date_added").GetString(), StringComparison.Ordinal);
        var all = await TestNode.JsonAsync(await client.GetAsync("/default/collections/c1/manifest/?match[version]=all"));
        Assert.Equal(2, all.GetProperty("objects").GetArrayLength());
    }

    [Fact]
    public async Task ObjectVersionsAndDelete_FollowTheSpecification()
    {
        var client = _node.Client(_node.AlphaKey);
        await PostAsync(client, "c1", TestNode.Indicator(A, "2026-01-01T00:00:00.000Z"), TestNode.Indicator(A, "2026-03-01T00:00:00.000Z"), TestNode.Indicator(B));

        var one = await TestNode.JsonAsync(await client.GetAsync($"/default/collections/c1/objects/{A}/"));
        Assert.Equal("2026-03-01T00:00:00.000Z", Assert.Single(one.GetProperty("objects").EnumerateArray()).GetProperty("modified").GetString());

        var versions = await TestNode.JsonAsync(await client.GetAsync($"/default/collections/c1/objects/{A}/versions/"));
        Assert.Equal(["2026-01-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/default/collections/c1/objects/indicator--00000000-0000-4000-8000-000000000009/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _node.Client(_node.BetaKey).DeleteAsync($"/default/collections/c1/objects/{A}/")).StatusCode);

        var deleted = await client.DeleteAsync($"/default/collections/c1/objects/{A}/?match[version]=2026-03-01T00:00:00.000Z");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(TestNode.Taxii, TestNode.TypeOf(deleted));
        Assert.Empty(await deleted.Content.ReadAsStringAsync());
        var after = await TestNode.JsonAsync(await client.GetAsync($"/default/collections/c1/objects/{A}/"));
        Assert.Equal("2026-01-01T00:00:00.000Z", Assert.Single(after.GetProperty("objects").EnumerateArray()).GetProperty("modified").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/default/collections/c1/objects/{A}/?match[version]=all")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/default/collections/c1/objects/{A}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/default/collections/c1/objects/{A}/")).StatusCode);
    }

    [Fact]
    public async Task GetObjects_AcceptStix_AnswersWithStixMediaType()
    {
        var client = _node.Client(_node.AlphaKey);
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/stix+json;version=2.1");
        var response = await client.GetAsync("/default/collections/c1/objects/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/stix+json;version=2.1", TestNode.TypeOf(response));
    }

    [Fact]
    public async Task Manifest_AcceptOnlyStix_Is406()
    {
        var client = _node.Client(_node.AlphaKey);
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/stix+json;version=2.1");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await client.GetAsync("/default/collections/c1/manifest/")).StatusCode);
    }

    [Fact]
    public async Task UnknownPath_Is404TaxiiError()
    {
        var response = await _node.Client(_node.AlphaKey).GetAsync("/default/collections/c1/nothing/here/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(TestNode.Taxii, TestNode.TypeOf(response));
    }
}
