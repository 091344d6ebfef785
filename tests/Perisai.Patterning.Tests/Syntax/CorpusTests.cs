using Perisai.Patterning.Syntax;

namespace Perisai.Patterning.Tests.Syntax;

/// <summary>
/// The pattern corpus of tests/TestData/patterns (written by make-corpus.py there, each verdict decided from STIX 2.1 §9
/// and the grammar): every valid pattern parses, and every invalid one fails with the expected code at the expected
/// offset as its first error.
/// </summary>
public sealed class CorpusTests
{
    private static string Unescape(string line)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                sb.Append(line[++i] == 'n' ? '\n' : line[i]);
            }
            else
            {
                sb.Append(line[i]);
            }
        }
        return sb.ToString();
    }

    private static string[] Lines(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "patterns", file));

    public static TheoryData<string> Valid()
    {
        var data = new TheoryData<string>();
        foreach (string line in Lines("valid.txt"))
        {
            data.Add(Unescape(line));
        }
        return data;
    }

    public static TheoryData<string, int, string> Invalid()
    {
        var data = new TheoryData<string, int, string>();
        foreach (string line in Lines("invalid.txt"))
        {
            var parts = line.Split('\t', 3);
            data.Add(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Unescape(parts[2]));
        }
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeast300OfEach()
    {
        Assert.True(Lines("valid.txt").Length >= 300);
        Assert.True(Lines("invalid.txt").Length >= 300);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidPattern_Parses_AndReprintsToTheSameTree(string text)
    {
        Assert.True(StixPattern.TryParse(text, out var pattern, out var errors), string.Join("; ", errors));
        string printed = Printer.Print(pattern!);
        var again = StixPattern.Parse(printed);
        Assert.Equal(TreeShape.Of(pattern!), TreeShape.Of(again));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidPattern_FailsWithCodeAtOffset(string code, int offset, string text)
    {
        Assert.False(StixPattern.TryParse(text, out var pattern, out var errors));
        Assert.Null(pattern);
        Assert.NotEmpty(errors);
        Assert.True(code == errors[0].Code && offset == errors[0].Offset, $"expected {code} at {offset}, got {string.Join("; ", errors)}");
        Assert.All(errors, e => Assert.InRange(e.Offset, 1, text.Length + 1));
    }
}
