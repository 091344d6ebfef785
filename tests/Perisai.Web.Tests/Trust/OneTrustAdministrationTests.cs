using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Perisai.Cli.Tests;

namespace Perisai.Web.Tests.Trust;

/// <summary>
/// One trust administration (issue 15): the same change made from the command line, through the trust API and on the
/// web administration page writes the same audit entry (action, target, detail); only who made it and from where
/// differ. One running node, its data directory shared with the command line.
/// </summary>
public sealed partial class OneTrustAdministrationTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [Fact]
    public async Task The_command_line_the_trust_API_and_the_web_page_write_identical_audit_entries_for_the_same_change()
    {
        string data = Path.Combine(PerisaiProcess.TempDir(), "data");
        async Task<string> Cli(params string[] args)
        {
            var r = await PerisaiProcess.RunAsync([.. args, "--data", data]);
            Assert.True(r.Exit == 0, $"perisai {string.Join(' ', args)}: {r.Out}{r.Err}");
            return r.Out;
        }
        await Cli("org", "add", "MyCERT", "--country", "MY", "--kind", "national-cert");
        await Cli("community", "add", "ASEAN national CERTs", "--definition", "The national CERTs of the ASEAN member states.");
        await Cli("collection", "add", "--title", "ASEAN shared", "--alias", "asean", "--owner", "MyCERT");
        await using var node = await PerisaiProcess.StartAsync(data);
        var r = await PerisaiProcess.RunWithInputAsync("the admin's password\n", "account", "password", "admin", "--password-stdin", "--data", data);
        Assert.True(r.Exit == 0, r.Out + r.Err);
        using var api = node.Client(node.AdminKey);
        var orgs = JsonDocument.Parse(await Cli("org", "list", "--json")).RootElement;
        string my = orgs.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "MyCERT").GetProperty("id").GetString()!;
        string community = JsonDocument.Parse(await Cli("community", "list", "--json")).RootElement[0].GetProperty("id").GetString()!;
        string collection = JsonDocument.Parse(await Cli("collection", "list", "--json")).RootElement.EnumerateArray()
            .Single(c => c.GetProperty("alias").GetString() == "asean").GetProperty("id").GetString()!;

        // The web page, signed in as the administrator.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var web = new HttpClient(handler) { BaseAddress = new Uri(node.BaseUrl) };
        async Task PostFormAsync(string path, Dictionary<string, string> form)
        {
            string page = await web.GetStringAsync(new Uri(path, UriKind.Relative));
            form["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
            var response = await web.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
        }
        await PostFormAsync("/ui/login", new() { ["_handler"] = "login", ["Form.Account"] = "admin", ["Form.Password"] = "the admin's password" });

        // The same two changes, three times: MyCERT into the community, and the community's access to the collection.
        await Cli("community", "member", "add", "ASEAN national CERTs", "MyCERT");
        await Cli("collection", "grant", "asean", "--community", "ASEAN national CERTs", "--read", "--write");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync(new Uri($"/api/v1/communities/{community}/members/{my}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync(new Uri($"/api/v1/collections/{collection}/access", UriKind.Relative),
            new StringContent($"{{\"kind\":\"community\",\"principal\":\"{community}\",\"read\":true,\"write\":true}}", Encoding.UTF8, "application/json"))).StatusCode);
        await PostFormAsync("/ui/admin", new() { ["_handler"] = "member", ["MemberForm.Community"] = community, ["MemberForm.Org"] = my, ["MemberForm.Action"] = "add" });
        await PostFormAsync("/ui/admin", new() { ["_handler"] = "grant", ["GrantForm.Collection"] = collection, ["GrantForm.Principal"] = $"community:{community}", ["GrantForm.Read"] = "true", ["GrantForm.Write"] = "true" });

        // A key revoked from each: the same entry but for the key it names (the web page once wrote its own detail).
        var keys = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            keys.Add(JsonDocument.Parse(await Cli("key", "add", "--org", "MyCERT", "--account", "my-analyst", "--json")).RootElement.GetProperty("key_id").GetString()!);
        }
        await Cli("key", "revoke", keys[0]);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(new Uri($"/api/v1/keys/{keys[1]}", UriKind.Relative))).StatusCode);
        await PostFormAsync("/ui/admin", new() { ["_handler"] = $"revoke-{keys[2]}" });
        var revoked = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/audit?action=key.revoke", UriKind.Relative))).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(keys.Order(), revoked.Select(e => e.GetProperty("target").GetString()!).Order());
        Assert.All(revoked, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("detail").ValueKind));

        var entries = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/audit?limit=200", UriKind.Relative))).RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString()!, Target: e.GetProperty("target").GetString(), Detail: e.GetProperty("detail").GetString(),
                Source: e.GetProperty("source").GetString(), Account: e.GetProperty("account_id").GetString()))
            .Where(e => e.Action is "community.member.add" or "collection.access").ToList();
        foreach (string action in new[] { "community.member.add", "collection.access" })
        {
            var made = entries.Where(e => e.Action == action).ToList();
            Assert.Equal(3, made.Count);
            Assert.Single(made.Select(e => (e.Target, e.Detail)).Distinct());
            // Who and from where: the operator at the command line once, the administrator over the network twice.
            Assert.Equal(1, made.Count(e => e.Source == "cli" && e.Account is null));
            Assert.Equal(2, made.Count(e => e.Source != "cli" && e.Account is not null));
        }
        Assert.Equal($"org={my}", entries.First(e => e.Action == "community.member.add").Detail);
        Assert.Equal($"community={community} read=True write=True", entries.First(e => e.Action == "collection.access").Detail);
    }
}
