using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Perisai.Server;
using Perisai.Server.Auth;
using Perisai.Storage;
using Perisai.Storage.Sqlite;

namespace Perisai.Web.Tests;

/// <summary>
/// A node with its web interface on the real ASP.NET Core pipeline, in memory (TestServer), over a fresh SQLite store:
/// TAXII, the node's API and every page answer as they do in <c>perisai serve</c>.
/// </summary>
public sealed class WebNode : IAsyncDisposable
{
    private readonly string _dir;

    private WebNode(string dir, SqliteStore store, WebApplication app) => (_dir, Store, App) = (dir, store, app);

    public SqliteStore Store { get; }

    public WebApplication App { get; }

    public static async Task<WebNode> StartAsync()
    {
        // On tmpfs when there is one: a walk over thousands of worlds writes tens of thousands of small transactions.
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string dir = Path.Combine(root, "perisai-web-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(dir, TimeProvider.System);
        await store.MigrateAsync();
        await store.UpsertApiRootAsync(new ApiRoot("default", "Default root", "for tests"));
        var app = NodeHost.Build(store, new NodeOptions(), TimeProvider.System, [], b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        }, [new WebModule()]);
        await app.StartAsync();
        return new WebNode(dir, store, app);
    }

    /// <summary>An account of the organization with an API key, and the session cookie a sign-in would have given it.</summary>
    public async Task<(Account Account, string Key, string Cookie)> AccountAsync(string orgId, string name, Role role)
    {
        var account = await Store.AddAccountAsync(orgId, name, role);
        var issued = ApiKeys.Issue(account.Id, "test", TimeProvider.System);
        await Store.AddApiKeyAsync(issued.Record);
        return (account, issued.Secret, Cookie(account));
    }

    /// <summary>
    /// The session cookie of an account, made by the node's own cookie handler exactly as a sign-in makes it (the
    /// sign-in form itself, with its password hashing, is tested on its own in SignInTests).
    /// </summary>
    public string Cookie(Account account)
    {
        var options = App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, account.Id), new Claim(ClaimTypes.Name, account.Name), new Claim("org", account.OrgId),
                new Claim("role", account.Role.ToString().ToLowerInvariant())], CookieAuthenticationDefaults.AuthenticationScheme));
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties(), CookieAuthenticationDefaults.AuthenticationScheme);
        return $"{WebModule.Cookie}={options.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>A client for pages, signed in with <paramref name="cookie"/>, keeping the cookies the node sets (anti-forgery).</summary>
    public HttpClient Browser(string cookie)
    {
        var jar = new CookieContainer();
        var client = new HttpClient(new CookieJar(jar) { InnerHandler = App.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };
        jar.SetCookies(client.BaseAddress, cookie);
        return client;
    }

    /// <summary>What a browser does with cookies, for the in-memory server's handler (which keeps none).</summary>
    private sealed class CookieJar(CookieContainer jar) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (jar.GetCookieHeader(uri) is { Length: > 0 } header)
            {
                request.Headers.Add("Cookie", header);
            }
            var response = await base.SendAsync(request, cancellationToken);
            foreach (string set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                jar.SetCookies(uri, set);
            }
            return response;
        }
    }

    /// <summary>A TAXII client with an API key.</summary>
    public HttpClient Taxii(string key)
    {
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
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
            // A file still held for a moment; the folder is cleaned with the temp area.
        }
    }
}
