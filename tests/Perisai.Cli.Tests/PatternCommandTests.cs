using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary><c>perisai pattern check</c> and <c>perisai pattern match</c> as a script would run them.</summary>
public sealed class PatternCommandTests
{
    private const string Bundle = """
        {"type":"bundle","id":"bundle--8e1f3f83-4c3f-4f5e-9a57-1f1bfe2f6d10","objects":[
          {"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","first_observed":"2026-11-29T09:00:00Z","last_observed":"2026-11-29T09:05:00Z","number_observed":2,"object_refs":["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]},
          {"type":"observed-data","spec_version":"2.1","id":"observed-data--c67d30ff-02ac-498a-92f9-32f845f448cf","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","first_observed":"2026-11-29T09:10:00Z","last_observed":"2026-11-29T09:10:00Z","number_observed":1,"object_refs":["domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"]},
          {"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"},
          {"type":"domain-name","spec_version":"2.1","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"}]}
        """;

    [Fact]
    public async Task Check_ValidPattern_ExitsZeroAndExplains()
    {
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("pattern", "check", "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] REPEATS 2 TIMES");
        Assert.Equal(0, exit);
        Assert.Equal("valid\none observation in which ipv4-addr value is inside the network '198.51.100.0/24'\n- matched 2 times, each by a different observation\n", stdout.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_InvalidPattern_ExitsOneWithEveryErrorAndACaretUnderIt()
    {
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("pattern", "check", "[file:size = 01 AND file:name = h'abc']");
        Assert.Equal(1, exit);
        Assert.Equal(
            """
            PAT004 at character 14: '01': an integer must not have leading zeros
              [file:size = 01 AND file:name = h'abc']
                           ^
            PAT006 at character 33: h'abc' is not hex: it needs an even number of the digits 0-9 and a-f
              [file:size = 01 AND file:name = h'abc']
                                              ^
            invalid: 2 errors

            """.Replace("\r", "", StringComparison.Ordinal), stdout.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_Json_ReportsCodesAndOffsets()
    {
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("pattern", "check", "[file:name = 'a' AND url:value = 'b']", "--json");
        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("errors")[0];
        Assert.Equal("PAT020", error.GetProperty("code").GetString());
        Assert.Equal(22, error.GetProperty("offset").GetInt32());
        var (exit2, stdout2, _) = await PerisaiProcess.RunAsync("pattern", "check", "[file:name = 'a']", "--json");
        Assert.Equal(0, exit2);
        Assert.True(JsonDocument.Parse(stdout2).RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Match_Bundle_NamesTheObservationsAndExitsByVerdict()
    {
        string file = Path.Combine(PerisaiProcess.TempDir(), "observed.json");
        await File.WriteAllTextAsync(file, Bundle);
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("pattern", "match",
            "([ipv4-addr:value = '198.51.100.3'] FOLLOWEDBY [domain-name:value = 'iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com']) WITHIN 600 SECONDS", "--observed", file, "--json");
        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.True(result.GetProperty("matched").GetBoolean());
        Assert.Equal(["observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf", "observed-data--c67d30ff-02ac-498a-92f9-32f845f448cf"],
            result.GetProperty("matched_observations").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var (exit2, stdout2, _) = await PerisaiProcess.RunAsync("pattern", "match", "[domain-name:value = 'iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com'] REPEATS 2 TIMES", "--observed", file);
        Assert.Equal(1, exit2);
        Assert.StartsWith("no match in 2 observed-data", stdout2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_BadInput_ExitsTwoWithAReason()
    {
        string dir = PerisaiProcess.TempDir();
        string broken = Path.Combine(dir, "broken.json");
        await File.WriteAllTextAsync(broken, "[{\"type\":");
        var (exit, _, stderr) = await PerisaiProcess.RunAsync("pattern", "match", "[file:name = 'a']", "--observed", broken);
        Assert.Equal(2, exit);
        Assert.Contains("is not JSON", stderr, StringComparison.Ordinal);
        var (exit2, _, stderr2) = await PerisaiProcess.RunAsync("pattern", "match", "[file:name = 'a'", "--observed", broken);
        Assert.Equal(2, exit2);
        Assert.Contains("PAT011", stderr2, StringComparison.Ordinal);
        var (exit3, _, stderr3) = await PerisaiProcess.RunAsync("pattern", "match", "[file:name = 'a']", "--observed", Path.Combine(dir, "missing.json"));
        Assert.Equal(2, exit3);
        Assert.Contains("cannot read", stderr3, StringComparison.Ordinal);
    }
}
