using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Perisai.Cli.Tests;

namespace Perisai.Web.Tests;

/// <summary>Sign-in over plain HTTP, as any client would post the form (no browser needed).</summary>
public sealed partial class SignInTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string account, string password)
    {
        string page = await client.GetStringAsync(new Uri("/ui/login", UriKind.Relative));
        string token = Token().Match(page).Groups[1].Value;
        return await client.PostAsync(new Uri("/ui/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Form.Account"] = account, ["Form.Password"] = password,
        }));
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password_and_a_form_without_its_token_is_refused()
    {
        string data = Path.Combine(PerisaiProcess.TempDir(), "data");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("org", "add", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("key", "add", "--org", "MyCERT", "--account", "analyst", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunWithInputAsync("the right password\n", "account", "password", "analyst", "--password-stdin", "--data", data)).Exit);
        Assert.Equal(1, (await PerisaiProcess.RunWithInputAsync("short\n", "account", "password", "analyst", "--password-stdin", "--data", data)).Exit);
        await using var node = await PerisaiProcess.StartAsync(data);
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(node.BaseUrl) };

        // Without the anti-forgery token the post is refused outright.
        var forged = await client.PostAsync(new Uri("/ui/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Form.Account"] = "analyst", ["Form.Password"] = "the right password",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        for (int i = 0; i < 5; i++)
        {
            var wrong = await PostLoginAsync(client, "analyst", "a wrong password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var locked = await PostLoginAsync(client, "analyst", "the right password");
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("Wrong account or password", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Setting the password again lifts the lock.
        Assert.Equal(0, (await PerisaiProcess.RunWithInputAsync("the right password\n", "account", "password", "analyst", "--password-stdin", "--data", data)).Exit);
        var ok = await PostLoginAsync(client, "analyst", "the right password");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/ui/", ok.Headers.Location!.OriginalString.Replace(node.BaseUrl, "", StringComparison.Ordinal));
        Assert.Contains(handler.CookieContainer.GetCookies(new Uri(node.BaseUrl)), c => c.Name == WebModule.Cookie && c.HttpOnly);

        // A cookie is not an API credential.
        var api = await client.GetAsync(new Uri("/taxii2/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task The_nodes_root_sends_a_browser_to_the_web_interface_and_a_TAXII_client_to_no_page()
    {
        await using var node = await WebNode.StartAsync();
        using var client = node.App.GetTestServer().CreateClient();
        var browser = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal("/ui/", browser.Headers.Location!.OriginalString);
        using var taxii = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        taxii.Headers.Accept.ParseAdd("application/taxii+json;version=2.1");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(taxii)).StatusCode);
    }

    [Fact]
    public async Task The_node_serves_the_schema_of_its_MISP_property_extension()
    {
        await using var node = await WebNode.StartAsync();
        using var client = node.App.GetTestServer().CreateClient();
        var response = await client.GetAsync(new Uri(Perisai.Interop.Misp.MispExtension.SchemaPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType!.MediaType);
        var schema = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("property-extension", schema.GetProperty("properties").GetProperty("extension_type").GetProperty("const").GetString());
        Assert.True(schema.GetProperty("properties").TryGetProperty("category", out _));
    }
}
