using System.Net;
using System.Text;
using Perisai.Server.Application;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Web.Tests.Trust;

/// <summary>
/// The pages read through the node's one read path (issue 15), on the real pipeline: SingCERT's object page and search
/// neither show nor find by a description MyCERT marked TLP:RED; a report page lists only the refs its reader may see.
/// </summary>
public sealed class WebReadPathTests
{
    internal const string Indicator = "indicator--0f1e2d3c-4b5a-4697-8877-665544332211";
    internal const string Secret = "victim is the ministry of finance";
    private const string RedMalware = "malware--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private const string HiddenRelationship = "relationship--2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";
    private const string Report = "report--3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

    /// <summary>
    /// The granular example of issue 15: MyCERT and SingCERT in "ASEAN national CERTs", MyCERT's TLP:GREEN indicator
    /// with a TLP:RED description; its RED malware and a relationship to it (SingCERT may see neither) and a GREEN report
    /// on all three.
    /// </summary>
    internal static async Task<(WebNode Node, string MyCookie, string SgCookie)> WorldAsync()
    {
        var node = await WebNode.StartAsync();
        var admin = new TrustAdministration(node.Store, TimeProvider.System);
        var my = await admin.AddOrganizationAsync(Actor.Operator, "MyCERT", "MY", "national-cert", null, default);
        var sg = await admin.AddOrganizationAsync(Actor.Operator, "SingCERT", "SG", "national-cert", null, default);
        var community = await admin.AddCommunityAsync(Actor.Operator, "ASEAN national CERTs", "The national CERTs of the ASEAN member states.", default);
        await admin.SetMemberAsync(Actor.Operator, community.Id, my.Id, true, default);
        await admin.SetMemberAsync(Actor.Operator, community.Id, sg.Id, true, default);
        var asean = await admin.AddCollectionAsync(Actor.Operator, null, "default", "ASEAN national CERTs", null, "asean", my.Id, "green", false, default);
        await admin.GrantAsync(Actor.Operator, asean.Id, PrincipalKind.Community, community.Id, true, true, default);
        var (_, myKey, myCookie) = await node.AccountAsync(my.Id, "mycert-analyst", Role.Analyst);
        var (_, _, sgCookie) = await node.AccountAsync(sg.Id, "singcert-analyst", Role.Analyst);
        using var taxii = node.Taxii(myKey);
        string Obj(string id, string marking, string extra) =>
            $$"""{"type":"{{id[..id.IndexOf("--", StringComparison.Ordinal)]}}","spec_version":"2.1","id":"{{id}}","created":"2026-11-29T08:00:00.000Z","modified":"2026-11-29T08:00:00.000Z","object_marking_refs":["{{marking}}"],{{extra}}}""";
        string granular = "\"granular_markings\":[{\"marking_ref\":\"" + TlpMarkings.Red + "\",\"selectors\":[\"description\"]}]";
        string[] objects =
        [
            Obj(Indicator, TlpMarkings.Green, "\"name\":\"Phishing sender\",\"pattern\":\"[email-addr:value = 'hr-jobs@example.org']\",\"pattern_type\":\"stix\","
                + $"\"valid_from\":\"2026-11-29T08:00:00Z\",\"description\":\"{Secret}\",{granular}"),
            Obj(RedMalware, TlpMarkings.Red, "\"name\":\"Ministry wiper\",\"is_family\":true"),
            Obj(HiddenRelationship, TlpMarkings.Green, $"\"relationship_type\":\"indicates\",\"source_ref\":\"{Indicator}\",\"target_ref\":\"{RedMalware}\""),
            Obj(Report, TlpMarkings.Green, $"\"name\":\"Phishing wave\",\"published\":\"2026-11-29T08:00:00Z\",\"object_refs\":[\"{Indicator}\",\"{RedMalware}\",\"{HiddenRelationship}\"]"),
        ];
        var envelope = new StringContent("{\"objects\":[" + string.Join(",", objects) + "]}", Encoding.UTF8);
        envelope.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
        var posted = await taxii.PostAsync(new Uri($"/default/collections/{asean.Id}/objects/", UriKind.Relative), envelope);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Contains("\"success_count\":4", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return (node, myCookie, sgCookie);
    }

    [Fact]
    public async Task A_RED_description_is_neither_shown_nor_searchable_for_SingCERT_and_is_for_MyCERT()
    {
        var (node, myCookie, sgCookie) = await WorldAsync();
        await using var _ = node;
        using var sg = node.Browser(sgCookie);
        using var my = node.Browser(myCookie);

        string sgPage = await sg.GetStringAsync(new Uri($"/ui/objects/{Indicator}", UriKind.Relative));
        Assert.Contains("Phishing sender", sgPage, StringComparison.Ordinal);
        Assert.DoesNotContain("ministry", sgPage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1 property withheld under TLP:RED.", sgPage, StringComparison.Ordinal);
        Assert.Contains("TLP:GREEN", sgPage, StringComparison.Ordinal);
        Assert.DoesNotContain(RedMalware, sgPage, StringComparison.Ordinal);
        Assert.Contains("0 results", await sg.GetStringAsync(new Uri("/ui/search?q=ministry", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("0 results", await sg.GetStringAsync(new Uri("/ui/search?q=finance&type=indicator", UriKind.Relative)), StringComparison.Ordinal);

        string myPage = await my.GetStringAsync(new Uri($"/ui/objects/{Indicator}", UriKind.Relative));
        Assert.Contains(Secret, myPage, StringComparison.Ordinal);
        Assert.DoesNotContain("withheld", myPage, StringComparison.Ordinal);
        // The granular marking MyCERT is entitled to is listed with the part it covers.
        Assert.Contains("Granular markings: TLP:RED on description", myPage, StringComparison.Ordinal);
        string found = await my.GetStringAsync(new Uri("/ui/search?q=ministry", UriKind.Relative));
        // Its indicator by the RED description, and its RED "Ministry wiper" by name.
        Assert.Contains("2 results ", found, StringComparison.Ordinal);
        Assert.Contains($"/ui/objects/{Indicator}", found, StringComparison.Ordinal);
        Assert.Contains($"/ui/objects/{RedMalware}", found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_page_lists_only_the_refs_its_reader_may_see()
    {
        var (node, myCookie, sgCookie) = await WorldAsync();
        await using var _ = node;
        using var sg = node.Browser(sgCookie);
        string page = await sg.GetStringAsync(new Uri($"/ui/objects/{Report}", UriKind.Relative));
        Assert.Contains(Indicator, page, StringComparison.Ordinal);
        // Before the fix the page printed the report as stored: the RED malware of MyCERT and the hidden relationship.
        Assert.DoesNotContain(RedMalware, page, StringComparison.Ordinal);
        Assert.DoesNotContain(HiddenRelationship, page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await sg.GetAsync(new Uri($"/ui/objects/{RedMalware}", UriKind.Relative))).StatusCode);

        using var my = node.Browser(myCookie);
        string own = await my.GetStringAsync(new Uri($"/ui/objects/{Report}", UriKind.Relative));
        Assert.Contains(RedMalware, own, StringComparison.Ordinal);
        Assert.Contains(HiddenRelationship, own, StringComparison.Ordinal);
    }
}
