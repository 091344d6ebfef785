using Perisai.Stix.Markings;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Perisai.Server.Auth;
using Perisai.Storage;
using Perisai.Storage.Sqlite;

namespace Perisai.Server.Tests;

/// <summary>
/// A node on the real ASP.NET Core pipeline, in memory, over a fresh SQLite store, with: an administrator; org
/// "alpha" that may read and write collection c1; org "beta" that may only read c1; collection c2 granted to nobody.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string Taxii = "application/taxii+json;version=2.1";

    private readonly string _dir;

    private TestNode(string dir, SqliteStore store, WebApplication app, NodeOptions options)
    {
        _dir = dir;
        Store = store;
        App = app;
        Options = options;
    }

    public SqliteStore Store { get; }

    public WebApplication App { get; }

    public NodeOptions Options { get; }

    public string AdminKey { get; private set; } = "";

    public string AlphaKey { get; private set; } = "";

    public string BetaKey { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public static async Task<TestNode> StartAsync(Action<NodeOptions>? configure = null, Func<IStixStore, Task>? beforeStart = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "perisai-node-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(dir, TimeProvider.System);
        await store.MigrateAsync();
        await store.UpsertApiRootAsync(new ApiRoot("default", "Default root", "for tests"));
        await store.UpsertApiRootAsync(new ApiRoot("second", "Second root", null));
        var op = await store.AddOrganizationAsync("operator");
        var alpha = await store.AddOrganizationAsync("alpha");
        var beta = await store.AddOrganizationAsync("beta");
        // c1: owned by alpha, unmarked objects TLP:GREEN, read by the community {alpha, beta}, written by alpha.
        await store.AddCollectionAsync(new TaxiiCollection("c1", "default", "One", "first", "one", alpha.Id, TlpLevel.Green));
        await store.AddCollectionAsync(new TaxiiCollection("c2", "default", "Two", null, null, op.Id));
        await store.AddCollectionAsync(new TaxiiCollection("c3", "second", "Three", null, null, op.Id));
        var community = await store.AddCommunityAsync("alpha and beta", "The two test organizations.");
        await store.SetCommunityMemberAsync(community.Id, alpha.Id, true);
        await store.SetCommunityMemberAsync(community.Id, beta.Id, true);
        await store.GrantAsync(new Grant("c1", community.Id, true, false, PrincipalKind.Community));
        await store.GrantAsync(new Grant("c1", alpha.Id, true, true));
        string Key(Account a, string label)
        {
            var k = ApiKeys.Issue(a.Id, label, TimeProvider.System);
            store.AddApiKeyAsync(k.Record).GetAwaiter().GetResult();
            return k.Secret;
        }
        var admin = await store.AddAccountAsync(op.Id, "admin", Role.Admin);
        var alphaAcct = await store.AddAccountAsync(alpha.Id, "alpha-analyst", Role.Analyst);
        var betaAcct = await store.AddAccountAsync(beta.Id, "beta-analyst", Role.Analyst);
        string revoked = Key(alphaAcct, "old");
        var parsed = ApiKeys.TryParse(revoked, out string revokedId, out _);
        Assert.True(parsed);
        await store.RevokeApiKeyAsync(revokedId);

        if (beforeStart is not null)
        {
            await beforeStart(store);
        }
        var options = new NodeOptions();
        configure?.Invoke(options);
        var app = NodeHost.Build(store, options, TimeProvider.System, [], b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        return new TestNode(dir, store, app, options)
        {
            AdminKey = Key(admin, "admin"),
            AlphaKey = Key(alphaAcct, "alpha"),
            BetaKey = Key(betaAcct, "beta"),
            RevokedKey = revoked,
        };
    }

    public HttpClient Client(string? key)
    {
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Accept.ParseAdd(Taxii);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    public static StringContent Envelope(params string[] objects) => Body($"{{\"objects\":[{string.Join(",", objects)}]}}");

    public static StringContent Body(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(Taxii);
        return content;
    }

    /// <summary>A Content-Type as the server wrote it, without the space HttpClient adds after ';'.</summary>
    public static string TypeOf(HttpResponseMessage response) => response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal);

    public static string Indicator(string id, string modified = "2026-01-01T00:00:00.000Z", string created = "2026-01-01T00:00:00.000Z", string extra = "") =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"{{created}}","modified":"{{modified}}","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"{{extra}}}""";

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS for a moment; the temp folder is cleaned eventually.
        }
    }
}
