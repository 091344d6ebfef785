using FsCheck;
using FsCheck.Fluent;
using Perisai.Patterning.Syntax;
using Perisai.Stix;

namespace Perisai.Patterning.Tests.Syntax;

/// <summary>Printing any valid tree and parsing the text gives the same tree (shape compared without offsets).</summary>
public sealed class RoundTripProperties
{
    private static readonly string[] Keys = ["name", "size", "hashes", "SHA-256", "x.y", "it's", "a\\b", "ünï", "values"];
    private static readonly string[] Types = ["file", "ipv4-addr", "x-custom-thing", "network-traffic"];
    private static readonly string[] Networks = ["10.0.0.0/8", "198.51.100.1", "2001:db8::/32"];
    private static readonly string[] Texts = ["a%b_", "^x+$", "it\\'s"];
    private static readonly double[] Floats = [0.5, -1.25, 7.0, 1e-9, 123456789.125, -0.0001];

    [Fact]
    public void PrintThenParse_YieldsTheSameTree()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var tree = new Pattern(Observation(rng, 0), "");
            string text = Printer.Print(tree);
            Assert.True(StixPattern.TryParse(text, out var parsed, out var errors), $"{text}: {string.Join("; ", errors)}");
            Assert.Equal(TreeShape.Of(tree), TreeShape.Of(parsed!));
            Assert.Equal(text, Printer.Print(parsed!));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
    }

    private static ObservationExpression Observation(Random rng, int depth)
    {
        int pick = depth > 3 ? 0 : rng.Next(4);
        switch (pick)
        {
            case 0 or 1:
            {
                string type = Types[rng.Next(Types.Length)];
                return new ObservationTest(Comparison(rng, type, 0), 1);
            }
            case 2:
            {
                var op = (ObservationOperator)rng.Next(3);
                return new ObservationGroup(op, [.. Enumerable.Range(0, rng.Next(2, 4)).Select(_ => Observation(rng, depth + 1))], 1);
            }
            default:
            {
                var qualifiers = new List<Qualifier>();
                foreach (int kind in Enumerable.Range(0, 3).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)))
                {
                    qualifiers.Add(kind switch
                    {
                        0 => new WithinQualifier(rng.Next(2) == 0 ? rng.Next(1, 100_000) : Math.Round(rng.NextDouble() * 1000, 3) + 0.001, 1),
                        1 => new RepeatsQualifier(rng.Next(1, 1000), 1),
                        _ => new StartStopQualifier(Timestamp(630_000_000_000_000_000 + rng.Next()), Timestamp(640_000_000_000_000_000 + rng.Next()), 1),
                    });
                }
                return new QualifiedObservation(Observation(rng, depth + 1), qualifiers, 1);
            }
        }
    }

    private static ComparisonExpression Comparison(Random rng, string type, int depth)
    {
        if (depth < 3 && rng.Next(3) == 0)
        {
            return new ComparisonGroup((BooleanOperator)rng.Next(2), [.. Enumerable.Range(0, rng.Next(2, 4)).Select(_ => Comparison(rng, type, depth + 1))], 1);
        }
        var path = Path(rng, type);
        bool negated = rng.Next(2) == 0;
        switch (rng.Next(5))
        {
            case 0:
                return new ExistsComparison(path, negated, 1);
            case 1:
            {
                int kind = rng.Next(6);
                return new SetComparison(path, negated, [.. Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Literal(rng, kind))], 1);
            }
            case 2:
                return new PropertyComparison(path, rng.Next(2) == 0 ? ComparisonOperator.IsSubset : ComparisonOperator.IsSuperset, negated,
                    new StringLiteral(Networks[rng.Next(Networks.Length)], 1), 1);
            case 3:
                return new PropertyComparison(path, rng.Next(2) == 0 ? ComparisonOperator.Like : ComparisonOperator.Matches, negated, new StringLiteral(Texts[rng.Next(Texts.Length)], 1), 1);
            default:
            {
                var op = (ComparisonOperator)rng.Next(6);
                int kind = rng.Next(op is ComparisonOperator.Equal or ComparisonOperator.NotEqual ? 6 : 5);
                return new PropertyComparison(path, op, negated, Literal(rng, kind), 1);
            }
        }
    }

    private static ObjectPath Path(Random rng, string type)
    {
        var steps = new List<PathStep>();
        int n = rng.Next(1, 5);
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && rng.Next(3) == 0)
            {
                steps.Add(rng.Next(2) == 0 ? new AnyIndexStep() : new IndexStep(rng.Next(-3, 10)));
                continue;
            }
            string key = Keys[rng.Next(Keys.Length)];
            bool needsQuotes = !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
            steps.Add(new KeyStep(key, needsQuotes || rng.Next(4) == 0));
        }
        return new ObjectPath(type, steps, 1);
    }

    private static StixTimestamp Timestamp(long ticks) => StixTimestamp.Parse(StixTimestamp.Format(new DateTimeOffset(ticks, TimeSpan.Zero), 6));

    private static Literal Literal(Random rng, int kind) => kind switch
    {
        0 => new StringLiteral(new string([.. Enumerable.Range(0, rng.Next(0, 8)).Select(_ => "ab'\\ \u00e9z\u4e2d"[rng.Next(8)])]), 1),
        1 => new IntegerLiteral(rng.NextInt64(-Lexer.MaxInteger, Lexer.MaxInteger), 1),
        2 => new FloatLiteral(Floats[rng.Next(Floats.Length)] * rng.Next(1, 100), 1),
        3 => new BytesLiteral([.. Enumerable.Range(0, rng.Next(0, 6)).Select(_ => (byte)rng.Next(256))], Hex: rng.Next(2) == 0, 1),
        4 => new TimestampLiteral(Timestamp(630_000_000_000_000_000 + rng.NextInt64(10_000_000_000_000_000)), 1),
        _ => new BooleanLiteral(rng.Next(2) == 0, 1),
    };
}
