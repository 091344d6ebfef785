using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary>The real <c>perisai serve</c> on a loopback port, driven over HTTP as a TAXII client would.</summary>
public sealed class EndToEndTests
{
    private static string Indicator(string id, string modified) =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"{{modified}}","pattern":"[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TaxiiClientSession_WalksEveryEndpoint(string storeKind)
    {
        await using var store = await TestStore.CreateAsync(storeKind);
        await using var node = await PerisaiProcess.StartOnAsync(store.Args, "--demo");
        Assert.NotNull(node.AdminKey);
        // An analyst of a national CERT: the node's administrator is not a member of any demo community.
        using var client = node.Client(node.DemoKeys["mycert-analyst"]);

        // Discovery -> API root -> collections.
        var discovery = JsonDocument.Parse(await client.GetStringAsync("/taxii2/")).RootElement;
        string root = discovery.GetProperty("api_roots")[0].GetString()!;
        Assert.Equal($"{node.BaseUrl}/default/", root);
        var apiRoot = JsonDocument.Parse(await client.GetStringAsync(root)).RootElement;
        Assert.Equal("application/taxii+json;version=2.1", apiRoot.GetProperty("versions")[0].GetString());
        var collections = JsonDocument.Parse(await client.GetStringAsync("/default/collections/")).RootElement.GetProperty("collections");
        Assert.Equal(["asean", "my-sg", "partners"], collections.EnumerateArray().Select(c => c.GetProperty("alias").GetString()).Order());
        string partners = collections.EnumerateArray().Single(c => c.GetProperty("alias").GetString() == "partners").GetProperty("id").GetString()!;

        // The demo intelligence is there and valid.
        var demo = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/objects/?match[type]=malware")).RootElement;
        Assert.Equal(["GoldenEye", "NotPetya", "WannaCry"], demo.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("name").GetString()).Order());

        // Add objects -> status.
        const string id = "indicator--6f4f1b7d-6f0e-4e4c-9d1b-5e7c0c1a2b3c";
        var post = await client.PostAsync($"/default/collections/{partners}/objects/", Envelope(Indicator(id, "2026-01-01T00:00:00.000Z"), Indicator(id, "2026-02-01T00:00:00.000Z")));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        string statusId = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var status = await Bulk.WaitCompleteAsync(client, statusId, TimeSpan.FromSeconds(30));
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());

        // Get objects with filters and paging.
        var latest = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/objects/?match[id]={id}")).RootElement;
        Assert.Equal("2026-02-01T00:00:00.000Z", latest.GetProperty("objects")[0].GetProperty("modified").GetString());
        var first = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/objects/?match[id]={id}&match[version]=first")).RootElement;
        Assert.Equal("2026-01-01T00:00:00.000Z", first.GetProperty("objects")[0].GetProperty("modified").GetString());
        var page = await client.GetAsync($"/default/collections/{partners}/objects/?limit=5");
        var pageBody = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement;
        Assert.True(pageBody.GetProperty("more").GetBoolean());
        Assert.Equal(5, pageBody.GetProperty("objects").GetArrayLength());
        string lastAdded = page.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
        var rest = await Bulk.AllIdsAsync(client, partners, 7);
        var afterLast = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/objects/?added_after={lastAdded}&limit=100000")).RootElement;
        Assert.Equal(rest.Count - 5, afterLast.GetProperty("objects").GetArrayLength());

        // Manifest -> versions -> delete.
        var manifest = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/manifest/?match[id]={id}&match[version]=all")).RootElement;
        Assert.Equal(2, manifest.GetProperty("objects").GetArrayLength());
        var versions = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{partners}/objects/{id}/versions/")).RootElement;
        Assert.Equal(["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/default/collections/{partners}/objects/{id}/?match[version]=all")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/default/collections/{partners}/objects/{id}/")).StatusCode);
    }

    private static StringContent Envelope(params string[] objects)
    {
        var c = new StringContent($"{{\"objects\":[{string.Join(",", objects)}]}}");
        c.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
        return c;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Paging_100000ObjectsWhileAnotherClientAdds_ReturnsEveryPreexistingObjectExactlyOnce(string storeKind)
    {
        await using var store = await TestStore.CreateAsync(storeKind);
        await using var node = await PerisaiProcess.StartOnAsync(store.Args);
        string c = await Bulk.AddCollectionAsync(store.Args, "paging");
        using var client = node.Client();
        var preexisting = Bulk.Ids(100_000);
        foreach (var chunk in preexisting.Chunk(10_000))
        {
            await Bulk.WaitCompleteAsync(client, await Bulk.PostAsync(client, c, chunk), TimeSpan.FromMinutes(2));
        }

        using var stop = new CancellationTokenSource();
        int added = 0;
        var writer = Task.Run(async () =>
        {
            using var w = node.Client();
            while (!stop.IsCancellationRequested)
            {
                await Bulk.PostAsync(w, c, Bulk.Ids(200));
                Interlocked.Add(ref added, 200);
            }
        });

        var seen = await Bulk.AllIdsAsync(client, c, 1000);
        await stop.CancelAsync();
        await writer;

        Assert.True(added > 0, "the writer added nothing while paging");
        var counts = seen.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(preexisting, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.Equal(seen.Count, counts.Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Kill9_DuringA100000ObjectImport_KeepsEveryAcknowledgedEnvelopeWhole(string storeKind)
    {
        await using var store = await TestStore.CreateAsync(storeKind);
        var envelopes = Enumerable.Range(0, 20).Select(_ => Bulk.Ids(5_000)).ToList();
        var acknowledged = new List<int>();
        var node = await PerisaiProcess.StartOnAsync(store.Args);
        string adminKey = node.AdminKey!;
        string c = await Bulk.AddCollectionAsync(store.Args, "durable");
        using (var client = node.Client())
        {
            var posting = Task.Run(async () =>
            {
                for (int i = 0; i < envelopes.Count; i++)
                {
                    try
                    {
                        await Bulk.PostAsync(client, c, envelopes[i]);
                        lock (acknowledged)
                        {
                            acknowledged.Add(i);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server died mid-request: this envelope was never acknowledged
                    }
                }
            });
            // Kill once about half the envelopes are acknowledged, while the background worker is applying them.
            var sw = Stopwatch.StartNew();
            while (true)
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count >= 10 || sw.Elapsed > TimeSpan.FromMinutes(2))
                    {
                        break;
                    }
                }
                await Task.Delay(10);
            }
            node.Kill();
            await posting;
        }
        await node.DisposeAsync();

        await using var restarted = await PerisaiProcess.StartOnAsync(store.Args);
        using var after = restarted.Client(adminKey);
        // Acknowledged envelopes still pending are resumed at start; wait until none is left.
        var waited = Stopwatch.StartNew();
        List<string> ids;
        HashSet<string> present;
        while (true)
        {
            ids = await Bulk.AllIdsAsync(after, c, 10_000);
            present = [.. ids];
            if (acknowledged.All(i => envelopes[i].All(present.Contains)) || waited.Elapsed > TimeSpan.FromMinutes(3))
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.NotEmpty(acknowledged);
        TestContext.Current.TestOutputHelper?.WriteLine($"acknowledged {acknowledged.Count} of {envelopes.Count}; resumed after restart: {restarted.Output.Split("Resuming envelope").Length - 1}");
        foreach (int i in acknowledged)
        {
            Assert.True(envelopes[i].All(present.Contains), $"acknowledged envelope {i} is not wholly present");
        }
        for (int i = 0; i < envelopes.Count; i++)
        {
            int n = envelopes[i].Count(present.Contains);
            Assert.True(n == 0 || n == envelopes[i].Count, $"envelope {i} is half-present: {n} of {envelopes[i].Count}");
        }
        Assert.Equal(ids.Count, present.Count);
    }
}

/// <summary>TLS as TAXII 2.1 §8.2.2 requires: a configured certificate, TLS 1.2 or later.</summary>
public sealed class HttpsTests
{
    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task Serve_WithCertificate_AnswersOverTls12OrLater(string format)
    {
        string dir = PerisaiProcess.TempDir();
        string pfx = Path.Combine(dir, "node.pfx");
        string pem = Path.Combine(dir, "node.pem"), keyPem = Path.Combine(dir, "node.key");
        string thumbprint;
        using (var key = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            var now = TimeProvider.System.GetUtcNow();
            using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
            thumbprint = cert.Thumbprint;
            await File.WriteAllBytesAsync(pfx, cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "test"));
            await File.WriteAllTextAsync(pem, cert.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPem, key.ExportPkcs8PrivateKeyPem());
        }
        string[] certArgs = format == "pfx" ? ["--cert", pfx, "--cert-key", "test"] : ["--cert", pem, "--cert-key", keyPem];
        int port = PerisaiProcess.FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[PerisaiProcess.Dll, "serve", "--data", Path.Combine(dir, "data"), "--urls", $"https://127.0.0.1:{port}", .. certArgs])
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        try
        {
            string? key = null;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Contains("PERISAI_KEY=", StringComparison.Ordinal))
                {
                    key = line.Trim()["PERISAI_KEY=".Length..];
                }
                if (line.Contains("Now listening", StringComparison.Ordinal))
                {
                    break;
                }
            }
            System.Security.Authentication.SslProtocols negotiated = default;
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new System.Net.Security.SslClientAuthenticationOptions
                {
                    // Trust exactly the self-signed certificate this test made, and note the protocol agreed.
                    RemoteCertificateValidationCallback = (sender, certificate, _, _) =>
                    {
                        negotiated = ((System.Net.Security.SslStream)sender).SslProtocol;
                        return certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 c && c.Thumbprint == thumbprint;
                    },
                },
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            var response = await client.GetAsync("/taxii2/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(negotiated >= System.Security.Authentication.SslProtocols.Tls12, $"negotiated {negotiated}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
