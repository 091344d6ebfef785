using System.CommandLine;
using System.Text;
using System.Text.Json;
using Perisai.Patterning;
using Perisai.Patterning.Matching;
using Perisai.Stix.Json;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai pattern check</c> and <c>perisai pattern match</c>: the STIX patterning language from the shell.</summary>
internal static class PatternCommands
{
    public static Command Pattern()
    {
        return new Command("pattern", "Check, explain and evaluate STIX 2.1 patterns (STIX 2.1 §9).") { Check(), Match() };
    }

    private static Command Check()
    {
        var text = new Argument<string>("pattern") { Description = "The pattern, quoted for the shell." };
        var json = new Option<bool>("--json") { Description = "Print the verdict, the errors or the explained tree as JSON." };
        var command = new Command("check", """
            Check a STIX pattern. A valid one is printed explained, one line per part; an invalid one gets every error
            with its code and a caret under the character at fault. Exit code 0 when valid, 1 when not.

            Example:
              perisai pattern check "[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa']"
            """)
        { text, json };
        command.SetAction(p =>
        {
            string pattern = p.GetValue(text)!;
            bool asJson = p.GetValue(json);
            if (StixPattern.TryParse(pattern, out var tree, out var errors, out var warnings))
            {
                if (asJson)
                {
                    string listed = JsonSerializer.Serialize(warnings.Select(w => new { code = w.Code, offset = w.Offset, message = w.Message }), Output.JsonOptions);
                    Console.WriteLine($$"""{"valid":true,"warnings":{{listed}},"tree":{{PatternExplainer.ToJson(tree!)}}}""");
                }
                else
                {
                    Console.WriteLine("valid");
                    foreach (var w in warnings)
                    {
                        Console.WriteLine($"warning: {w.Code} at character {w.Offset}: {w.Message}");
                    }
                    Console.WriteLine(PatternExplainer.Explain(tree!));
                }
                return 0;
            }
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { valid = false, errors = errors.Select(e => new { code = e.Code, offset = e.Offset, message = e.Message }) }, Output.JsonOptions));
            }
            else
            {
                foreach (var e in errors)
                {
                    Console.WriteLine($"{e.Code} at character {e.Offset}: {e.Message}");
                    Console.WriteLine(Caret(pattern, e.Offset));
                }
                Console.WriteLine(errors.Count == 1 ? "invalid: 1 error" : $"invalid: {errors.Count} errors");
            }
            return 1;
        });
        return command;
    }

    /// <summary>The line of <paramref name="pattern"/> holding the 1-based <paramref name="offset"/>, indented, with a caret under it.</summary>
    internal static string Caret(string pattern, int offset)
    {
        int index = Math.Clamp(offset - 1, 0, pattern.Length);
        int start = index == 0 ? 0 : pattern.LastIndexOf('\n', index - 1) + 1;
        int end = pattern.IndexOf('\n', index);
        string line = pattern[start..(end < 0 ? pattern.Length : end)].TrimEnd('\r');
        // Tabs keep their width on both lines; anything else under the caret's column becomes a space.
        var pad = new StringBuilder();
        foreach (char c in line.AsSpan(0, Math.Min(index - start, line.Length)))
        {
            pad.Append(c == '\t' ? '\t' : ' ');
        }
        return $"  {line}\n  {pad}^";
    }

    private static Command Match()
    {
        var text = new Argument<string>("pattern") { Description = "The pattern, quoted for the shell." };
        var observed = new Option<string>("--observed") { Description = "A JSON file holding an observed-data object, a list of them or a STIX bundle; - for standard input.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("match", """
            Evaluate a STIX pattern against observations: observed-data objects with their embedded "objects"
            (STIX 2.0 form) or with "object_refs" to SCOs in the same bundle (STIX 2.1). Prints whether it matched and
            which observed-data took part. Exit code 0 when it matched, 1 when it did not, 2 when the pattern is invalid
            or the file cannot be read.

            Example:
              perisai pattern match "[ipv4-addr:value ISSUBSET '198.51.100.0/24']" --observed sightings.json
            """)
        { text, observed, json };
        command.SetAction(async (p, ct) =>
        {
            string pattern = p.GetValue(text)!;
            bool asJson = p.GetValue(json);
            if (!PatternMatcher.TryCompile(pattern, out var matcher, out var errors))
            {
                foreach (var e in errors)
                {
                    Console.Error.WriteLine($"perisai pattern match: {e.Code} at character {e.Offset}: {e.Message}");
                    Console.Error.WriteLine(Caret(pattern, e.Offset));
                }
                return 2;
            }
            string file = p.GetValue(observed)!;
            byte[] bytes;
            try
            {
                bytes = file == "-" ? await ReadStandardInputAsync(ct).ConfigureAwait(false) : await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"cannot read {file}: {e.Message}");
            }
            JsonDocument document;
            try
            {
                // A list of observed-data is accepted here, so the STIX document reader (objects, bundles) is not used.
                document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = StixDocument.MaxDepth });
            }
            catch (JsonException e)
            {
                string where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
                return Fail($"{file} is not JSON{where}");
            }
            using var _ = document;
            var observations = ObservationReader.Read(document.RootElement, out var problems);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"perisai pattern match: {file} {problem.Path}: {problem.Message}");
            }
            foreach (var o in observations.Where(o => o.Warning is not null))
            {
                Console.Error.WriteLine($"perisai pattern match: {file} {o}: warning: {o.Warning}");
            }
            if (observations.Count == 0)
            {
                return 2;
            }
            var result = matcher!.Match(observations);
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    matched = result.Matched,
                    complete = result.Complete,
                    observations_read = observations.Count,
                    matched_observations = result.Observations.Select(o => o.Id),
                }, Output.JsonOptions));
            }
            else
            {
                Console.WriteLine(result.Matched
                    ? $"matched: {result.Observations.Count} of {observations.Count} observed-data took part"
                    : $"no match in {observations.Count} observed-data");
                foreach (var o in result.Observations)
                {
                    Console.WriteLine($"  {o}");
                }
            }
            if (!result.Complete)
            {
                Console.Error.WriteLine("perisai pattern match: the search stopped at its budget; a match may have been missed, and the list may be partial.");
            }
            return result.Matched ? 0 : 1;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"perisai pattern match: {message}");
        return 2;
    }

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
