using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary>The verbs as a script would use them: exit codes, --json, --help with examples.</summary>
public sealed class CommandLineTests
{
    private const string Valid = """{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2017-05-12T00:00:00.000Z","modified":"2017-05-12T00:00:00.000Z","name":"WannaCry","is_family":true},{"type":"domain-name","value":"www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"}]}""";
    private const string Invalid = """{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56e","objects":[{"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062","created":"2017-05-12T00:00:00.000Z","modified":"2017-05-12T00:00:00.000Z","is_family":true}]}""";

    [Theory]
    [InlineData("serve")]
    [InlineData("import")]
    [InlineData("export")]
    [InlineData("validate")]
    [InlineData("org", "add")]
    [InlineData("key", "add")]
    [InlineData("collection", "grant")]
    [InlineData("pattern", "check")]
    [InlineData("pattern", "match")]
    [InlineData("scan")]
    [InlineData("sightings")]
    public async Task Help_EveryVerb_ShowsAnExample(params string[] verb)
    {
        var (exit, stdout, _) = await PerisaiProcess.RunAsync([.. verb, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Example", stdout, StringComparison.Ordinal);
        Assert.Contains("perisai " + string.Join(' ', verb), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidAndInvalidFiles_ExitCodesAndPaths()
    {
        string dir = PerisaiProcess.TempDir();
        string good = Path.Combine(dir, "good.json"), bad = Path.Combine(dir, "bad.json"), broken = Path.Combine(dir, "broken.json");
        await File.WriteAllTextAsync(good, Valid);
        await File.WriteAllTextAsync(bad, Invalid);
        await File.WriteAllTextAsync(broken, "{\"type\":\"bundle\",");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("validate", good)).Exit);
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("validate", bad);
        Assert.Equal(1, exit);
        Assert.Contains("error required-property at $.objects[0].name", stdout, StringComparison.Ordinal);
        var (exit2, stdout2, _) = await PerisaiProcess.RunAsync("validate", broken, "--json");
        Assert.Equal(1, exit2);
        var report = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal("malformed-json", report[0].GetProperty("findings")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task ProvisionImportExport_RoundTrip()
    {
        string dir = PerisaiProcess.TempDir();
        string data = Path.Combine(dir, "data");
        string good = Path.Combine(dir, "good.json"), bad = Path.Combine(dir, "bad.json"), output = Path.Combine(dir, "out.json");
        await File.WriteAllTextAsync(good, Valid);
        await File.WriteAllTextAsync(bad, Invalid);

        var org = await PerisaiProcess.RunAsync("org", "add", "MyCERT", "--data", data, "--json");
        Assert.Equal(0, org.Exit);
        Assert.Equal("MyCERT", JsonDocument.Parse(org.Out).RootElement.GetProperty("name").GetString());
        Assert.Equal(1, (await PerisaiProcess.RunAsync("org", "add", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "add", "--title", "Shared", "--alias", "shared", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "grant", "shared", "--org", "MyCERT", "--read", "--data", data)).Exit);
        var key = await PerisaiProcess.RunAsync("key", "add", "--org", "MyCERT", "--account", "analyst1", "--data", data, "--json");
        Assert.Equal(0, key.Exit);
        string keyId = JsonDocument.Parse(key.Out).RootElement.GetProperty("key_id").GetString()!;
        var keys = JsonDocument.Parse((await PerisaiProcess.RunAsync("key", "list", "--data", data, "--json")).Out).RootElement;
        Assert.Equal(keyId, keys[0].GetProperty("key_id").GetString());
        Assert.DoesNotContain("secret", keys[0].ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("key", "revoke", keyId, "--data", data)).Exit);

        var import = await PerisaiProcess.RunAsync("import", good, bad, "--collection", "shared", "--data", data, "--json");
        Assert.Equal(1, import.Exit);
        var report = JsonDocument.Parse(import.Out).RootElement;
        Assert.Equal(2, report[0].GetProperty("added").GetInt32());
        Assert.Contains("required-property at $.objects[0].name", report[1].GetProperty("rejected")[0].GetString(), StringComparison.Ordinal);
        var again = await PerisaiProcess.RunAsync("import", good, "--collection", "shared", "--data", data);
        Assert.Equal(0, again.Exit);

        Assert.Equal(0, (await PerisaiProcess.RunAsync("export", "--collection", "shared", "--out", output, "--data", data)).Exit);
        var bundle = JsonDocument.Parse(await File.ReadAllTextAsync(output)).RootElement;
        Assert.Equal("bundle", bundle.GetProperty("type").GetString());
        var ids = bundle.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        Assert.Equal(["malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "domain-name--" + ids[1]!.Split("--")[1]], ids);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("validate", output)).Exit);
        Assert.Equal(1, (await PerisaiProcess.RunAsync("import", good, "--collection", "nope", "--data", data)).Exit);
    }

    [Theory]
    [InlineData("ui")]
    [InlineData("api")]
    [InlineData("taxii2")]
    public async Task ApiRoot_NamedLikeAnotherPartOfTheNode_IsRefused(string name)
    {
        var (exit, _, stderr) = await PerisaiProcess.RunAsync("api-root", "add", name, "--title", "x", "--data", Path.Combine(PerisaiProcess.TempDir(), "data"));
        Assert.Equal(1, exit);
        Assert.Contains("not a usable path segment", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "requires TLS")]
    [InlineData("http://192.0.2.10:8021", "requires TLS")]
    [InlineData("https://127.0.0.1:0", "needs a certificate")]
    [InlineData("ftp://127.0.0.1:21", "not an http:// or https:// address")]
    public async Task Serve_UnsafeOrBrokenAddress_IsRefusedBeforeListening(string url, string message)
    {
        var (exit, _, stderr) = await PerisaiProcess.RunAsync("serve", "--data", PerisaiProcess.TempDir(), "--urls", url);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
