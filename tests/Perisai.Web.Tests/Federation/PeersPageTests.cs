using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Perisai.Server.Application;
using Perisai.Storage;

namespace Perisai.Web.Tests.Federation;

/// <summary>The peers on the web administration page and in the API: for administrators only.</summary>
public sealed class PeersPageTests
{
    [Fact]
    public async Task Administrators_see_each_peer_with_its_links_on_the_page_and_in_the_API_and_a_lead_sees_neither()
    {
        await using var node = await WebNode.StartAsync();
        var op = await node.Store.AddOrganizationAsync("Node operator");
        var my = await node.Store.AddOrganizationAsync("MyCERT", "MY", OrgKind.NationalCert);
        await node.Store.AddCollectionAsync(new TaxiiCollection("asean", "default", "ASEAN shared", null, "asean", my.Id));
        var peers = node.App.Services.GetRequiredService<PeerAdministration>();
        await peers.AddAsync(Actor.Operator, "singcert-node", "https://singcert.example/taxii2/", null, null, "MyCERT", [], [], [("asean", "asean")], 300, default);
        var (_, adminKey, adminCookie) = await node.AccountAsync(op.Id, "root", Role.Admin);
        var (_, leadKey, leadCookie) = await node.AccountAsync(my.Id, "my-lead", Role.Lead);

        using var admin = node.Browser(adminCookie);
        string page = await admin.GetStringAsync(new Uri("/ui/admin", UriKind.Relative));
        Assert.Contains("singcert-node", page, StringComparison.Ordinal);
        Assert.Contains("push ASEAN shared", page, StringComparison.Ordinal);
        using var lead = node.Browser(leadCookie);
        string leads = await lead.GetStringAsync(new Uri("/ui/admin", UriKind.Relative));
        Assert.DoesNotContain("singcert-node", leads, StringComparison.Ordinal);

        using var api = node.Taxii(adminKey);
        string listed = await api.GetStringAsync(new Uri("/api/v1/peers", UriKind.Relative));
        Assert.Contains("\"name\":\"singcert-node\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"direction\":\"push\"", listed, StringComparison.Ordinal);
        using var leadApi = node.Taxii(leadKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await leadApi.GetAsync(new Uri("/api/v1/peers", UriKind.Relative))).StatusCode);
    }
}
