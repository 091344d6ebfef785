using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Perisai.Server.Federation;
using Perisai.Stix.Markings;

namespace Perisai.Server.Tests.Federation;

/// <summary>The node's TAXII client against a real node in memory, and against a server that fails on purpose.</summary>
public sealed class TaxiiClientTests
{
    private static TaxiiClientOptions Options(TestNode node, string key, HttpMessageHandler? handler = null) =>
        new() { Key = key, Handler = handler ?? node.App.GetTestServer().CreateHandler(), RetryDelay = TimeSpan.FromMilliseconds(10) };

    private static string Indicator(int i, string modified = "2026-01-01T00:00:00.000Z") =>
        TestNode.Indicator($"indicator--{i:D8}-1111-4111-8111-111111111111", modified: modified, extra: $",\"object_marking_refs\":[\"{TlpMarkings.Green}\"]");

    [Fact]
    public async Task It_discovers_the_root_pages_by_next_filters_and_adds_objects_whose_status_it_polls()
    {
        await using var node = await TestNode.StartAsync(o => o.MaxPageSize = 3);
        using var client = await TaxiiClient.ConnectAsync("http://localhost", Options(node, node.AlphaKey), default);
        Assert.Equal("http://localhost/default/", client.ApiRoot.ToString());
        var c1 = Assert.Single(await client.CollectionsAsync(default), c => c.Id == "c1");
        Assert.True(c1.CanRead && c1.CanWrite);

        string status = await client.AddAsync("c1", Enumerable.Range(0, 7).Select(i => Indicator(i)).Append(Indicator(0, "2026-02-01T00:00:00.000Z")), default);
        var done = await client.StatusAsync(status, TimeSpan.FromSeconds(30), TimeProvider.System, default);
        Assert.Equal("complete", done.GetProperty("status").GetString());
        Assert.Equal(8, done.GetProperty("success_count").GetInt32());

        // Pages of at most three (the server's limit), followed to the end; the last page's date_added for resuming.
        var seen = new List<string>();
        string? last = null;
        int pages = 0;
        await client.ObjectsAsync("c1", "match[type]=indicator&match[version]=all", (page, dateAdded) =>
        {
            pages++;
            last = dateAdded;
            seen.AddRange(page.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetString()! + " " + o.GetProperty("modified").GetString()));
            return Task.CompletedTask;
        }, default);
        Assert.Equal(8, seen.Count);
        Assert.Equal(3, pages);
        Assert.NotNull(last);
        // Resuming after the last: nothing new.
        int after = 0;
        await client.ObjectsAsync("c1", "added_after=" + Uri.EscapeDataString(last!), (page, _) =>
        {
            after += page.TryGetProperty("objects", out var o) ? o.GetArrayLength() : 0;
            return Task.CompletedTask;
        }, default);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task A_refusal_is_an_error_with_the_servers_status_and_title()
    {
        await using var node = await TestNode.StartAsync();
        using var client = await TaxiiClient.ConnectAsync("http://localhost/default/", Options(node, node.BetaKey), default);
        var e = await Assert.ThrowsAsync<TaxiiClientException>(() => client.AddAsync("c1", [Indicator(1)], default));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.StartsWith("403 ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_a_response_over_the_limit_is_refused()
    {
        await using var node = await TestNode.StartAsync();
        var flaky = new Flaky(node.App.GetTestServer().CreateHandler(), failures: 2);
        using (var client = await TaxiiClient.ConnectAsync("http://localhost/default/", Options(node, node.AlphaKey, flaky), default))
        {
            flaky.Reset(2);
            Assert.NotEmpty(await client.CollectionsAsync(default));
            Assert.Equal(3, flaky.Calls);
        }
        // A client owns its handlers: a new one for the second client.
        flaky = new Flaky(node.App.GetTestServer().CreateHandler(), failures: 0);
        using (var client = await TaxiiClient.ConnectAsync("http://localhost/default/", Options(node, node.AlphaKey, flaky) with { Retries = 2 }, default))
        {
            flaky.Reset(10);
            var e = await Assert.ThrowsAsync<TaxiiClientException>(() => client.CollectionsAsync(default));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Status);
            Assert.Equal(3, flaky.Calls);
        }
        // The discovery resource alone is over a hundred bytes.
        var tooLarge = await Assert.ThrowsAsync<TaxiiClientException>(() => TaxiiClient.ConnectAsync("http://localhost/", Options(node, node.AlphaKey) with { MaxResponseBytes = 100 }, default));
        Assert.Contains("more than 100 bytes", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_certificate_is_accepted_by_its_fingerprint_alone_and_nothing_else_is()
    {
        using var key = ECDsa.Create();
        using var cert = new CertificateRequest("CN=node.cert.example", key, HashAlgorithmName.SHA256).CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(1));
        string pin = string.Join(":", SHA256.HashData(cert.RawData).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        // Self-signed: the chain fails, the pin wins.
        Assert.True(TaxiiClient.CertificateAccepted(cert, SslPolicyErrors.RemoteCertificateChainErrors, pin));
        Assert.False(TaxiiClient.CertificateAccepted(cert, SslPolicyErrors.RemoteCertificateChainErrors, null));
        Assert.False(TaxiiClient.CertificateAccepted(cert, SslPolicyErrors.None, new string('0', 64)));
        Assert.False(TaxiiClient.CertificateAccepted(null, SslPolicyErrors.RemoteCertificateNotAvailable, pin));
        Assert.True(TaxiiClient.CertificateAccepted(cert, SslPolicyErrors.None, null));
    }

    /// <summary>Answers 503 to the first requests, then passes them to the node.</summary>
    private sealed class Flaky(HttpMessageHandler inner, int failures) : DelegatingHandler(inner)
    {
        private int _left = failures;

        public int Calls { get; private set; }

        public void Reset(int failuresLeft) => (_left, Calls) = (failuresLeft, 0);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return _left-- > 0 ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{\"title\":\"busy\"}") }) : base.SendAsync(request, cancellationToken);
        }
    }
}
