using System.Diagnostics;
using Perisai.Patterning.Syntax;

namespace Perisai.Patterning.Tests.Syntax;

public sealed class ParserTests
{
    /// <summary>Every pattern printed in STIX 2.1 §9 (examples of §9.3, §9.5, §9.5.1, §9.6.4, §9.7 and §9.8).</summary>
    public static TheoryData<string> SpecificationExamples() =>
    [
        "[ipv4-addr:value = '198.51.100.1/32']",
        "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
        "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] REPEATS 5 TIMES",
        "([ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 600 SECONDS",
        "[ network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58' ]",
        "[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
        "([ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.10'])",
        "([ipv4-addr:value = '198.51.100.5' ] AND [ipv4-addr:value = '198.51.100.10']) WITHIN 300 SECONDS",
        "[file:size = 25536]",
        "[user-account:value = 'Peter']",
        "([file:hashes.'SHA-256' = '13987239847'] AND [windows-registry-key:key = 'hkey']) WITHIN 120 SECONDS",
        "[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']",
        "[artifact:payload_bin = 'this is a test']",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
        "[artifact:payload_bin = h'7468697320697320612074657374']",
        "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
        "[network-traffic:protocols[0] = 'tcp']",
        "[file:hashes.ssdeep = 'x']",
        "[file:extensions.'raster-image-ext'.image_height > 1]",
        "[email-message:from_ref.value = 'a@example.com']",
        "[directory:contains_refs[*].name = 'x']",
        "[file:name = 'foo.dll' AND file:size != 4112]",
        "[process:name IN ('proccy', 'proximus', 'badproc')]",
        "[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']",
        "[directory:path MATCHES '^C:\\\\\\\\Windows\\\\w+$']",
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        "[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
        "[EXISTS windows-registry-key:values]",
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']",
        "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']\nAND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
        "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']",
        "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
        "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
        "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
        "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
        "[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
        "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
        "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\Run\\\\CryptoLocker_0388']",
        "[(file:name = 'pdf.exe' OR file:size = 371712) AND file:created = t'2014-01-13T07:03:17Z']",
        "[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
        "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
        "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
        "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
        "([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:image_ref.name = 'fooproc' OR process:image_ref.name = 'procfoo']",
    ];

    [Theory]
    [MemberData(nameof(SpecificationExamples))]
    public void SpecificationExample_Parses(string text) =>
        Assert.True(StixPattern.TryParse(text, out _, out var errors), string.Join("; ", errors));

    [Fact]
    public void Precedence_FollowsSection953()
    {
        // AND binds tighter than OR, OR tighter than FOLLOWEDBY; a qualifier binds to the expression just before it.
        var p = StixPattern.Parse("[a-b:c = 1] FOLLOWEDBY [a-b:c = 2] OR [a-b:c = 3] AND [a-b:c = 4] REPEATS 5 TIMES");
        var followed = Assert.IsType<ObservationGroup>(p.Root);
        Assert.Equal(ObservationOperator.FollowedBy, followed.Operator);
        var or = Assert.IsType<ObservationGroup>(followed.Operands[1]);
        Assert.Equal(ObservationOperator.Or, or.Operator);
        var and = Assert.IsType<ObservationGroup>(or.Operands[1]);
        Assert.Equal(ObservationOperator.And, and.Operator);
        var qualified = Assert.IsType<QualifiedObservation>(and.Operands[1]);
        Assert.Equal(5, Assert.IsType<RepeatsQualifier>(qualified.Qualifiers[0]).Times);
    }

    [Fact]
    public void Errors_AllReported_OnePerObservationExpression()
    {
        var errors = StixPattern.Validate("[file:name = ] AND [file:size > true] AND [file:name LIKE 5]");
        Assert.Equal(["PAT010", "PAT010", "PAT010"], errors.Select(e => e.Code));
        Assert.Equal([14, 33, 59], errors.Select(e => e.Offset));
    }

    [Fact]
    public void Error_MessageNamesWhatWasExpected()
    {
        var e = Assert.Single(StixPattern.Validate("[file:name = ]"));
        Assert.Equal("expected a constant: a string '…', a number, true or false, b'…', h'…' or t'…', found ']'", e.Message);
        var ex = Assert.Throws<PatternException>(() => StixPattern.Parse("[file:name = 'x'"));
        Assert.Equal(PatternErrorCode.UnexpectedEnd, ex.Code);
        Assert.Equal(17, ex.Offset);
    }

    [Fact]
    public void Literals_DecodeToTheirValues()
    {
        Literal Only(string literal) => Assert.IsType<PropertyComparison>(Assert.IsType<ObservationTest>(StixPattern.Parse($"[a-b:c = {literal}]").Root).Comparison).Value;
        Assert.Equal("it's \\", Assert.IsType<StringLiteral>(Only("'it\\'s \\\\'")).Value);
        Assert.Equal(-12, Assert.IsType<IntegerLiteral>(Only("-12")).Value);
        Assert.Equal(0.25, Assert.IsType<FloatLiteral>(Only("0.25")).Value);
        Assert.True(Assert.IsType<BooleanLiteral>(Only("true")).Value);
        Assert.Equal(new byte[] { 0, 1 }, Assert.IsType<BytesLiteral>(Only("b'AAE='")).Value);
        Assert.Equal(new byte[] { 10, 11 }, Assert.IsType<BytesLiteral>(Only("h'0a0B'")).Value);
        Assert.Equal(new DateTime(2016, 6, 1, 0, 0, 0, 500, DateTimeKind.Utc), Assert.IsType<TimestampLiteral>(Only("t'2016-06-01T00:00:00.5Z'")).Value.Instant.UtcDateTime);
    }
}

/// <summary>Hostile input: an error or a bounded time, never a stack overflow, a hang or an exception.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void DeepNesting_IsAnError_NotAStackOverflow(int depth)
    {
        string observations = new string('(', depth) + "[file:name = 'x']" + new string(')', depth);
        Assert.Equal(PatternErrorCode.TooDeep, StixPattern.Validate(observations)[0].Code);
        string comparisons = "[" + new string('(', depth) + "file:name = 'x'" + new string(')', depth) + "]";
        Assert.Equal(PatternErrorCode.TooDeep, StixPattern.Validate(comparisons)[0].Code);
    }

    [Fact]
    public void LongChains_ParsePrintAndExplain_WithoutDeepRecursion()
    {
        string chain = string.Join(" AND ", Enumerable.Range(0, 20_000).Select(i => $"[file:size = {i}]"));
        var p = StixPattern.Parse(chain);
        Assert.Equal(20_000, Assert.IsType<ObservationGroup>(p.Root).Operands.Count);
        Assert.Equal(chain, Printer.Print(p));
        Assert.NotEmpty(PatternExplainer.Explain(p));
        string inner = "[" + string.Join(" OR ", Enumerable.Range(0, 20_000).Select(i => $"file:size = {i}")) + "]";
        Assert.Equal(inner, Printer.Print(StixPattern.Parse(inner)));
    }

    [Fact]
    public void MegabyteLiteral_ParsesInBoundedTime()
    {
        string big = "[file:name = '" + new string('a', 1_000_000) + "']";
        var sw = Stopwatch.StartNew();
        Assert.True(StixPattern.TryParse(big, out _, out _));
        // Generous: the lexer is linear; this only catches an accidental quadratic step.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void OverLongPattern_IsRefused()
    {
        string huge = "[file:name = '" + new string('a', Parser.MaxLength) + "']";
        Assert.Equal(PatternErrorCode.TooLong, Assert.Single(StixPattern.Validate(huge)).Code);
    }

    [Fact]
    public void MegabyteUnterminatedLiteral_ReportsAShortMessage()
    {
        var e = StixPattern.Validate("[file:name = '" + new string('a', 1_000_000));
        Assert.Equal(PatternErrorCode.UnterminatedString, e[0].Code);
        Assert.All(e, x => Assert.True(x.Message.Length < 300));
    }

    [Theory]
    [InlineData("(a+)+$")]
    [InlineData("(a|aa)+b")]
    [InlineData("(.*a){20}z")]
    public void CatastrophicRegex_CompilesToTheLinearEngine(string regex)
    {
        Assert.True(StixPattern.TryParse($"[file:name MATCHES '{regex}']", out _, out _));
        Assert.True(RegexCompiler.TryCreate(regex, out var r, out _));
        Assert.True((r!.Options & System.Text.RegularExpressions.RegexOptions.NonBacktracking) != 0);
        var sw = Stopwatch.StartNew();
        Assert.DoesNotMatch(r, new string('a', 50_000) + "!");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var rng = new Random(4);
        const string alphabet = "[]()':.,*=!<>-+_ abcdefhtANDORNOTEXISTSWITHIN0123456789\\/\n\u00a0'";
        for (int i = 0; i < 20_000; i++)
        {
            var chars = new char[rng.Next(0, 60)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[rng.Next(alphabet.Length)];
            }
            bool valid = StixPattern.TryParse(new string(chars), out var pattern, out var errors);
            Assert.Equal(valid, pattern is not null);
            Assert.Equal(valid, errors.Count == 0);
        }
    }
}
