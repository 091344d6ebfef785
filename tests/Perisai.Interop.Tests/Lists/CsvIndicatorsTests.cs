using Perisai.Interop.Lists;

namespace Perisai.Interop.Tests.Lists;

/// <summary>CSV and plain lists, including the abuse.ch layouts (samples written here in their published form).</summary>
public sealed class CsvIndicatorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static List<CsvRow> Read(string text, string? preset, string source = "test") =>
        [.. CsvIndicators.Read(new StringReader(text), preset is null ? null : CsvLayout.Presets[preset], source, Now)];

    [Fact]
    public void Feodo_tracker_rows_become_address_indicators_dated_by_first_seen()
    {
        var rows = Read("""
            ################################################################
            # abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #
            ################################################################
            #
            "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
            "2021-01-17 07:30:05","198.51.100.143","443","online","2026-11-28","QakBot"
            "2022-03-02 11:00:00","203.0.113.9","8080","offline","2026-10-01","Emotet"
            # "end"
            """, "feodo");
        Assert.Equal(2, rows.Count);
        var first = rows[0].Indicator!;
        Assert.Equal("[ipv4-addr:value = '198.51.100.143']", first["pattern"]!.GetValue<string>());
        Assert.Equal("2021-01-17T07:30:05.000Z", first["valid_from"]!.GetValue<string>());
        Assert.Equal("QakBot: 198.51.100.143", first["name"]!.GetValue<string>());
        Assert.Equal(["qakbot", "online"], first["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void Urlhaus_reads_its_commented_header()
    {
        var rows = Read("""
            ################################################################
            # abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #
            ################################################################
            #
            # id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
            "3000001","2026-11-28 10:00:01","http://198.51.100.20/bins/mozi.m","online","2026-11-28 10:00:01","malware_download","elf,mozi","https://urlhaus.abuse.ch/url/3000001/","lrz_urlhaus"
            """, "urlhaus");
        var indicator = Assert.Single(rows).Indicator!;
        Assert.Equal("[url:value = 'http://198.51.100.20/bins/mozi.m']", indicator["pattern"]!.GetValue<string>());
        Assert.Equal(["malware_download", "elf", "mozi"], indicator["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void Threatfox_values_are_recognized_and_ports_dropped()
    {
        var rows = Read("""
            # "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"
            "2026-11-28 09:00:00", "1400001", "198.51.100.77:4444", "ip:port", "botnet_cc", "win.cobalt_strike", "Agentemis", "Cobalt Strike", "", "100", "", "CobaltStrike", "0", "abuse_ch"
            "2026-11-28 09:05:00", "1400002", "login-micr0soft.example", "domain", "payload_delivery", "js.fakeupdates", "", "FakeUpdates", "", "75", "", "", "0", "abuse_ch"
            """, "threatfox");
        Assert.Equal(2, rows.Count(r => r.Indicator is not null));
        Assert.Equal("[ipv4-addr:value = '198.51.100.77']", rows[0].Indicator!["pattern"]!.GetValue<string>());
        Assert.Equal("[domain-name:value = 'login-micr0soft.example']", rows[1].Indicator!["pattern"]!.GetValue<string>());
        Assert.Equal("Cobalt Strike: 198.51.100.77", rows[0].Indicator!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Malwarebazaar_rows_give_one_indicator_per_sample_with_each_hash()
    {
        var rows = Read("""
            # "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess","mime_type","signature","clamav","vtpercent","imphash","ssdeep","tlsh"
            "2017-05-12 08:00:00", "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", "84c82835a5d21bbcf75a61706d8ab549", "5ff465afaabcbf0150d1a3ab2c2e74f3a4426467", "anon", "tasksche.exe", "exe", "application/x-dosexec", "WannaCry", "n/a", "n/a", "n/a", "n/a", "n/a"
            """, "malwarebazaar");
        string pattern = Assert.Single(rows).Indicator!["pattern"]!.GetValue<string>();
        Assert.Equal("[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa'] OR [file:hashes.MD5 = '84c82835a5d21bbcf75a61706d8ab549'] OR [file:hashes.'SHA-1' = '5ff465afaabcbf0150d1a3ab2c2e74f3a4426467']", pattern);
    }

    [Fact]
    public void A_plain_list_is_one_value_per_line_refanged_with_bad_lines_reported()
    {
        var rows = Read("# my list\nhxxp://evil[.]example/x\n1.2.3[.]4\nnot a value!\n\n10.0.0.0/8\n", null);
        Assert.Equal(["[url:value = 'http://evil.example/x']", "[ipv4-addr:value = '1.2.3.4']", "[ipv4-addr:value = '10.0.0.0/8']"],
            rows.Where(r => r.Indicator is not null).Select(r => r.Indicator!["pattern"]!.GetValue<string>()));
        var bad = Assert.Single(rows, r => r.Indicator is null);
        Assert.Equal(4, bad.Line);
        Assert.Contains("not a value!", bad.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_row_is_the_same_indicator_every_time()
    {
        const string text = "\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n\"2021-01-17 07:30:05\",\"198.51.100.143\",\"443\",\"online\",\"2026-11-28\",\"QakBot\"\n";
        Assert.Equal(Read(text, "feodo")[0].Indicator!.ToJsonString(), Read(text, "feodo")[0].Indicator!.ToJsonString());
        Assert.NotEqual(Read(text, "feodo", "a")[0].Indicator!["id"]!.GetValue<string>(), Read(text, "feodo", "b")[0].Indicator!["id"]!.GetValue<string>());
    }

    [Fact]
    public void A_header_without_a_value_column_is_a_clear_error()
    {
        var row = Assert.Single(Read("first_seen_utc,port,status\n2021-01-01,443,up\n", "feodo"));
        Assert.Null(row.Indicator);
        Assert.Contains("no value column", row.Problem, StringComparison.Ordinal);
    }
}
